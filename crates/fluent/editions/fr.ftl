# Textes d’édition intégrés à diglot, en français : ce qui entoure l’article.
# Un projet peut remplacer chacun d’eux, message par message, dans
# locales/<locale>/edition.ftl. Le nom de la langue de l’édition
# (edition-language-name) vient de CLDR. Variables : voir en.ftl.

## En-tête de l’article

edition-byline = Par { $author }

edition-published = Publié le { DATETIME($published) }

# Le pluriel français : « one » vaut pour 0 et 1.
edition-reading-time =
    { $minutes ->
        [0] Moins d’une minute de lecture
        [one] Temps de lecture : { $minutes } minute
       *[other] Temps de lecture : { $minutes } minutes
    }

## Notes de traduction

edition-translated-from =
    { $source_language ->
        [en] Traduit de l’anglais
        [es] Traduit de l’espagnol
       *[other] Traduction
    }

edition-original-language =
    { $source_language ->
        [en] Édition originale en anglais
        [es] Édition originale en espagnol
       *[other] Édition originale
    }

edition-translation-status =
    { $remaining ->
        [0] Les { $total } phrases sont traduites
       *[other] Phrases traduites : { $translated } sur { $total }
    }

edition-fallback-note = Pas encore traduit : affiché dans la langue d’origine.

edition-stale-note = L’original a changé depuis la traduction : affiché dans la langue d’origine.
edition-outdated-note = L’original a changé depuis la traduction : cette traduction peut être dépassée.

edition-unreviewed-note = Traduction provisoire, pas encore relue.

## Sélecteur de langue

edition-read-in = Également disponible en

edition-bilingual-title = Édition bilingue

edition-bilingual-label = Bilingue

edition-skip-to-content = Aller au contenu
