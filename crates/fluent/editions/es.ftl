# Textos de edición incorporados en diglot, en español. Un proyecto puede
# sustituir cualquiera de ellos, mensaje a mensaje, en
# locales/<locale>/edition.ftl. El nombre del idioma de la edición
# (edition-language-name) viene de CLDR.
#
# Textos de la edición: lo que rodea al artículo, no el artículo en sí.
# (Edition strings: the words around an article, not the article itself.)
#
# Variables disponibles en todos los mensajes:
#   $author           nombre del autor tal como aparece en el original (puede
#                     faltar: entonces no se muestra la firma)
#   $published        fecha de publicación; úsese siempre DATETIME($published),
#                     que da la fecha larga en español («26 de noviembre de 2026»)
#   $minutes          tiempo de lectura en minutos (número)
#   $source_language  idioma del original: "en" (inglés) o "es" (español)
#   $translated       frases publicadas traducidas
#   $total            frases del artículo
#   $remaining        $total menos $translated
#   $stale, $missing, $unreviewed
#                     frases con traducción desfasada, sin traducción o con un
#                     borrador sin revisar
#
# Los números se formatean solos según las normas del español (12.345; 1234).

## Cabecera del artículo

# Firma sobre el artículo.
edition-byline = Por { $author }

# Línea con la fecha de publicación.
edition-published = Publicado el { DATETIME($published) }

# Tiempo de lectura estimado.
edition-reading-time =
    { $minutes ->
        [0] Menos de un minuto de lectura
        [one] Tiempo de lectura: { $minutes } minuto
       *[other] Tiempo de lectura: { $minutes } minutos
    }

## Avisos de traducción

# En una edición traducida: el idioma en que se escribió el artículo.
edition-translated-from =
    { $source_language ->
        [en] Traducido del inglés
        [es] Traducido del español
       *[other] Traducción
    }

# En la edición escrita en el idioma original.
edition-original-language =
    { $source_language ->
        [en] Edición original en inglés
        [es] Edición original en español
       *[other] Edición original
    }

# Cuánto del artículo está traducido. $remaining vale 0 cuando está todo.
edition-translation-status =
    { $remaining ->
        [0] Traducidas las { $total } frases
       *[other] Traducidas { $translated } de { $total } frases
    }

# Aviso (al pasar el ratón y en la leyenda) de una frase aún sin traducir, que
# por eso aparece en el idioma original.
edition-fallback-note = Aún sin traducir: se muestra en el idioma original.

# Aviso de una frase cuyo original cambió después de traducirse; se muestra el
# original hasta que se actualice la traducción.
edition-stale-note = El original cambió tras la traducción: se muestra en el idioma original.

# Tooltip and legend for a sentence whose original changed after it was
# translated, when the pipeline shows the previous translation until it is updated.
edition-outdated-note = El original cambió tras la traducción: esta traducción puede estar desactualizada.

# Aviso de una traducción provisional (automática) que nadie ha revisado.
edition-unreviewed-note = Traducción provisional, pendiente de revisión.

## Selector de idioma

# Rótulo ante la lista de las demás ediciones del artículo.
edition-read-in = También disponible en

# Título de la página con los dos idiomas en paralelo.
edition-bilingual-title = Edición bilingüe

# Texto breve del enlace a esa página.
edition-bilingual-label = Bilingüe

# Enlace de accesibilidad al principio de la página (teclado y lectores de pantalla).
edition-skip-to-content = Ir al contenido
