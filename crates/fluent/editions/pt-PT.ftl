# Português europeu: só o que difere de pt.ftl (grafia de "bilingue").
# O resto vem de pt.ftl.

edition-bilingual-title = Edição bilingue

edition-bilingual-label = Bilingue
