# en-US: The river river.
the-river-river-6b0557 = Texto
