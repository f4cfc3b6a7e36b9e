# Textos de l’edició inclosos en diglot, en català: el que envolta l’article.
# Un projecte pot substituir-ne qualsevol, missatge a missatge, a
# locales/<locale>/edition.ftl. El nom de la llengua de l’edició
# (edition-language-name) ve del CLDR. Variables: vegeu en.ftl.

## Capçalera de l’article

edition-byline = Per { $author }

edition-published = Publicat el { DATETIME($published) }

edition-reading-time =
    { $minutes ->
        [0] Menys d’un minut de lectura
        [one] Temps de lectura: { $minutes } minut
       *[other] Temps de lectura: { $minutes } minuts
    }

## Notes de traducció

edition-translated-from =
    { $source_language ->
        [en] Traduït de l’anglès
        [es] Traduït del castellà
       *[other] Traducció
    }

edition-original-language =
    { $source_language ->
        [en] Edició original en anglès
        [es] Edició original en castellà
       *[other] Edició original
    }

edition-translation-status =
    { $remaining ->
        [0] Traduïdes les { $total } frases
       *[other] Traduïdes { $translated } de { $total } frases
    }

edition-fallback-note = Encara sense traduir: es mostra en la llengua original.

edition-stale-note = L’original ha canviat després de la traducció: es mostra en la llengua original.
edition-outdated-note = L’original ha canviat després de la traducció: aquesta traducció pot estar desactualitzada.

edition-unreviewed-note = Traducció provisional, pendent de revisió.

## Selector de llengua

edition-read-in = També disponible en

edition-bilingual-title = Edició bilingüe

edition-bilingual-label = Bilingüe

edition-skip-to-content = Ves al contingut
