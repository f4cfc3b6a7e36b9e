# Textos da edição incluídos no diglot, em português: o que rodeia o artigo.
# Um projeto pode substituir cada um deles, mensagem a mensagem, em
# locales/<locale>/edition.ftl. O nome do idioma da edição
# (edition-language-name) vem do CLDR. Variáveis: ver en.ftl.
#
# Redigido para servir tanto ao português do Brasil como ao europeu;
# "bilíngue" segue a grafia brasileira, como o CLDR para "pt", e pt-PT.ftl
# dá a europeia.

## Cabeçalho do artigo

edition-byline = Por { $author }

edition-published = Publicado em { DATETIME($published) }

edition-reading-time =
    { $minutes ->
        [0] Menos de um minuto de leitura
        [one] Tempo de leitura: { $minutes } minuto
       *[other] Tempo de leitura: { $minutes } minutos
    }

## Notas de tradução

edition-translated-from =
    { $source_language ->
        [en] Traduzido do inglês
        [es] Traduzido do espanhol
       *[other] Tradução
    }

edition-original-language =
    { $source_language ->
        [en] Edição original em inglês
        [es] Edição original em espanhol
       *[other] Edição original
    }

edition-translation-status =
    { $remaining ->
        [0] Todas as { $total } frases traduzidas
       *[other] Frases traduzidas: { $translated } de { $total }
    }

edition-fallback-note = Ainda não traduzido: mostrado no idioma original.

edition-stale-note = O original mudou depois da tradução: mostrado no idioma original.
edition-outdated-note = O original mudou depois da tradução: esta tradução pode estar desatualizada.

edition-unreviewed-note = Rascunho de tradução, ainda sem revisão.

## Seletor de idioma

edition-read-in = Também disponível em

edition-bilingual-title = Edição bilíngue

edition-bilingual-label = Bilíngue

edition-skip-to-content = Ir para o conteúdo
