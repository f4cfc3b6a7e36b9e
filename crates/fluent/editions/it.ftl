# Testi dell’edizione integrati in diglot, in italiano: ciò che circonda
# l’articolo. Un progetto può sostituirli, messaggio per messaggio, in
# locales/<locale>/edition.ftl. Il nome della lingua dell’edizione
# (edition-language-name) viene da CLDR. Variabili: vedi en.ftl.

## Intestazione dell’articolo

edition-byline = Di { $author }

edition-published = Pubblicato il { DATETIME($published) }

edition-reading-time =
    { $minutes ->
        [0] Meno di un minuto di lettura
        [one] Tempo di lettura: { $minutes } minuto
       *[other] Tempo di lettura: { $minutes } minuti
    }

## Note sulla traduzione

edition-translated-from =
    { $source_language ->
        [en] Tradotto dall’inglese
        [es] Tradotto dallo spagnolo
       *[other] Traduzione
    }

edition-original-language =
    { $source_language ->
        [en] Edizione originale in inglese
        [es] Edizione originale in spagnolo
       *[other] Edizione originale
    }

edition-translation-status =
    { $remaining ->
        [0] Tutte le { $total } frasi sono tradotte
       *[other] Frasi tradotte: { $translated } su { $total }
    }

edition-fallback-note = Non ancora tradotto: mostrato nella lingua originale.

edition-stale-note = L’originale è cambiato dopo la traduzione: mostrato nella lingua originale.
edition-outdated-note = L’originale è cambiato dopo la traduzione: questa traduzione potrebbe non essere aggiornata.

edition-unreviewed-note = Bozza di traduzione, non ancora revisionata.

## Selettore della lingua

edition-read-in = Disponibile anche in

edition-bilingual-title = Edizione bilingue

edition-bilingual-label = Bilingue

edition-skip-to-content = Vai al contenuto
