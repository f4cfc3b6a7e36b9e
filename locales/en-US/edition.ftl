# Edition strings: the words around an article ("chrome"), not the article
# itself. diglot formats them once per edition and the page shows them around
# the translated text.
#
# Variables every message may use:
#   $author           the author's name, as written in the source (may be absent:
#                     then the byline is left out)
#   $published        publication date; always wrap it: DATETIME($published)
#                     gives the long date of your locale ("November 26, 2026")
#   $minutes          reading time in minutes (a number)
#   $source_language  language the article was written in: "en" or "es"
#   $translated       sentences published in translation
#   $total            sentences in the article
#   $remaining        $total minus $translated
#   $stale, $missing, $unreviewed
#                     sentences whose translation is out of date, absent, or a
#                     draft not yet reviewed
#
# Numbers are formatted for your locale automatically.

## Article header

# Byline above the article.
edition-byline = By { $author }

# Publication date line.
edition-published = Published { DATETIME($published) }

# Estimated reading time.
edition-reading-time =
    { $minutes ->
        [0] Less than a minute to read
        [one] Reading time: { $minutes } minute
       *[other] Reading time: { $minutes } minutes
    }

## Translation notes

# Shown on a translated edition: names the language of the original article.
edition-translated-from =
    { $source_language ->
        [en] Translated from English
        [es] Translated from Spanish
       *[other] Translated
    }

# Shown on the edition in the language the article was written in.
edition-original-language =
    { $source_language ->
        [en] Original edition in English
        [es] Original edition in Spanish
       *[other] Original edition
    }

# How much of the article is translated. $remaining is 0 when it all is.
edition-translation-status =
    { $remaining ->
        [0] All { $total } sentences translated
       *[other] { $translated } of { $total } sentences translated
    }

# Tooltip and legend for a sentence that has no translation yet and is
# therefore shown in the original language.
edition-fallback-note = Not translated yet: shown in the original language.

# Tooltip and legend for a sentence whose original changed after it was
# translated; the original is shown until the translation is updated.
edition-stale-note = The original changed after translation: shown in the original language.

# Tooltip and legend for a sentence whose original changed after it was
# translated, when the pipeline shows the previous translation until it is updated.
edition-outdated-note = The original changed after translation: this translation may be out of date.

# Tooltip and legend for a draft (machine) translation nobody has reviewed.
edition-unreviewed-note = Draft translation, not yet reviewed.

## Language switcher

# The name of this edition's language, in this language (as in a language menu).
edition-language-name = English

# Label before the list of the article's other editions.
edition-read-in = Also available in

# Title of the page with both languages side by side.
edition-bilingual-title = Bilingual edition

# Short link text to that page.
edition-bilingual-label = Bilingual

# Accessibility link at the top of the page, for keyboard and screen-reader users.
edition-skip-to-content = Skip to content
