// The confidentiality review page: selecting text in the original fills in the "add a
// redaction" form with the selection and its offsets in the original text.
(function () {
  "use strict";
  var original = document.getElementById("original-text");
  var form = document.querySelector('[data-testid="add-redaction"]');
  if (!original || !form) return;
  var text = form.querySelector('input[name="text"]');
  var start = form.querySelector('input[name="start"]');
  var end = form.querySelector('input[name="end"]');
  function offset(node, within) {
    var range = document.createRange();
    range.selectNodeContents(original);
    range.setEnd(node, within);
    return range.toString().length;
  }
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var r = sel.getRangeAt(0);
    if (!original.contains(r.startContainer) || !original.contains(r.endContainer)) return;
    var a = offset(r.startContainer, r.startOffset);
    var b = offset(r.endContainer, r.endOffset);
    if (b <= a) return;
    start.value = a;
    end.value = b;
    text.value = original.textContent.slice(a, b);
  });
  text.addEventListener("input", function () {
    start.value = "";
    end.value = "";
  });
})();
