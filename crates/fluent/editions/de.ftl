# In diglot eingebaute Texte der Ausgabe, auf Deutsch: was den Artikel umgibt.
# Ein Projekt kann jeden einzeln in locales/<locale>/edition.ftl ersetzen. Der
# Name der Sprache der Ausgabe (edition-language-name) kommt aus CLDR.
# Variablen: siehe en.ftl.

## Kopf des Artikels

edition-byline = Von { $author }

edition-published = Veröffentlicht am { DATETIME($published) }

edition-reading-time =
    { $minutes ->
        [0] Lesezeit: unter einer Minute
        [one] Lesezeit: { $minutes } Minute
       *[other] Lesezeit: { $minutes } Minuten
    }

## Hinweise zur Übersetzung

edition-translated-from =
    { $source_language ->
        [en] Aus dem Englischen übersetzt
        [es] Aus dem Spanischen übersetzt
       *[other] Übersetzung
    }

edition-original-language =
    { $source_language ->
        [en] Originalausgabe auf Englisch
        [es] Originalausgabe auf Spanisch
       *[other] Originalausgabe
    }

edition-translation-status =
    { $remaining ->
        [0] Alle { $total } Sätze übersetzt
       *[other] { $translated } von { $total } Sätzen übersetzt
    }

edition-fallback-note = Noch nicht übersetzt: in der Originalsprache angezeigt.

edition-stale-note = Das Original wurde nach der Übersetzung geändert: in der Originalsprache angezeigt.
edition-outdated-note = Das Original wurde nach der Übersetzung geändert: diese Übersetzung ist möglicherweise veraltet.

edition-unreviewed-note = Übersetzungsentwurf, noch nicht geprüft.

## Sprachauswahl

edition-read-in = Auch verfügbar auf

edition-bilingual-title = Zweisprachige Ausgabe

edition-bilingual-label = Zweisprachig

edition-skip-to-content = Zum Inhalt springen
