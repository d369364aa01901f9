"""文书生成: render 行政执法文书 and case files (案卷) to PDF with an embedded CJK font.

* ``layout`` — the document model (Document and its blocks);
* ``render`` — ``render_pdf(doc) -> bytes``, ``write_pdf(doc, fp)``, ``Watermark``;
* ``builders`` — 立案审批表, 询问笔录, 行政处罚决定书, 送达回证, 法制审核意见书, generic;
* ``casefile`` — 卷宗封面, 卷内目录, ``assemble_case_file`` (needs pypdf);
* ``pdftools`` — watermark / page numbers / concatenation of finished PDFs (needs pypdf);
* ``fonts`` — the embedded Noto Serif CJK SC subsets (SIL OFL 1.1).
"""
