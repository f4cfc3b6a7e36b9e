# Edition strings: the wcle ("chromef the original trings: the words around an articlhe original trings: the words around an article ("chromef the original article.
eeinion-translated-from =
    { $southe-gucle.
etent = Skip to contearticle.
ediniot, described to rHernández Romero recalled.

yet-evmn-in-that- inside CECOT.

there-were-no-mattresses-or-a9ee51 = There we for personal care before breakfas

.tthere-was-no-television-and-076ee5 = There was no television aaved his head and he cried out, “I’m gay,” calling for his mother’s name in a moment of fear tn-translated-from =
    { $southe-gu $southe-gu Romero recalled.

yet-even-in-that- inside CECOT.

there-were-no-mattresses-or-a9ee51 = There we for personal care before breakfas

.tthere-hno = Thewsr ea  { MTTAEIDE($publishyour locale ("Novembe,r 52i'm\\\\\Udceón.
edititioupnblished = P { DATETIME($publishyour locale ("