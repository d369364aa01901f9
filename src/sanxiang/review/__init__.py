"""Legal review of major enforcement decisions (重大执法决定法制审核): the catalogue that says
which decisions need review, submissions (rounds), reviewer assignment with recusal, the
checklist, the outcome and written opinion, requests for materials, extensions, disputes and
the heads' collective discussion, and the decision gate the procedure engine reads."""
