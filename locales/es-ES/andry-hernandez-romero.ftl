### diglot: es-ES translation of “andry-hernandez-romero” (en-US source: articles/andry-hernandez-romero.txt).
### Translate each message's value and keep its ID. The “# en-US:” line above a message shows its source.
### “# stale, source was: …” means the source changed since you translated it: update the translation, then delete that line.
### “# unreviewed: …” marks a draft: review it, then delete that line. Your own # comments are kept.

## Title

# en-US: Andry Hernández Romero: A life rebuilt after a year marked by detention and resilience
andry-hernandez-romero-a-life-405da3 = Andry Hernández Romero: una vida reconstruida tras un año marcado por la detención y la resiliencia

## Paragraph 1

# en-US: Andry Hernández Romero lights up at the mention of Italian food, a simple pleasure he now savors after a year that tested him in ways few people endure.
andry-hernandez-romero-lights-up-753aa2 = A Andry Hernández Romero se le ilumina la cara cuando se menciona la comida italiana, un placer sencillo que ahora saborea tras un año que lo sometió a pruebas que pocas personas llegan a soportar.

# en-US: The 32-year-old Venezuelan makeup artist from Capacho Nuevo in Táchira – right on the border with Colombia – sits at his parents’ home and shares a smile that momentarily lifts the weight of the past year from his shoulders.
the-32-year-old-venezuelan-f56308 = El maquillador venezolano de 32 años, natural de Capacho Nuevo, en Táchira —justo en la frontera con Colombia—, está sentado en casa de sus padres y esboza una sonrisa que, por un momento, le quita de encima el peso del último año.

# en-US: He wears a T-shirt bearing an image of himself holding a jeweled crown, a symbol of the unexpected public attention his case drew as he fought to reclaim his name and his freedom.
he-wears-a-t-shirt-21c7cc = Lleva una camiseta con una imagen suya en la que sostiene una corona enjoyada, símbolo de la inesperada atención pública que despertó su caso mientras luchaba por recuperar su buen nombre y su libertad.

## Paragraph 2

# en-US: Hernández Romero’s story is a harrowing journey through detention, deportation, and a prison condition that advocates describe as torturous.
hernandez-romero-s-story-is-da50e1 = La historia de Hernández Romero es un angustioso recorrido por la detención, la deportación y unas condiciones de reclusión que los activistas califican de tortura.

# en-US: At the heart of it is a crisis that began far from home: a multinational tug-of-war over Venezuelan migrants and asylum seekers that culminated in a detention system in El Salvador known as CECOT, the Terror Confinement Center.
# glossary: Terror Confinement Center = Centro de Confinamiento del Terrorismo; asylum seekers = solicitantes de asilo; CECOT (do not translate)
at-the-heart-of-it-dbf727 = En el fondo de todo hay una crisis que empezó lejos de su tierra: un pulso entre varios países a cuenta de los migrantes y solicitantes de asilo venezolanos que desembocó en un sistema de reclusión en El Salvador conocido como CECOT, el Centro de Confinamiento del Terrorismo.

# en-US: In his own words, he wants the world to understand that being Venezuelan is not a crime.
in-his-own-words-he-479d6e = Como él mismo dice, quiere que el mundo entienda que ser venezolano no es un delito.

## Heading: From California to Texas to CECOT

# en-US: From California to Texas to CECOT
# glossary: CECOT (do not translate)
from-california-to-texas-to-b3120e = De California a Texas y de ahí al CECOT

## Paragraph 3

# en-US: Before the upheaval in El Salvador, Hernández Romero had already spent months in U.S. immigration detention.
before-the-upheaval-in-el-6a6305 = Antes de que su vida diera un vuelco en El Salvador, Hernández Romero ya había pasado meses en centros de detención migratoria de EE. UU.

# en-US: He entered the United States legally at the San Ysidro port of entry in August 2024, seeking asylum on the grounds of political persecution and threats tied to his sexual orientation.
he-entered-the-united-states-5dd31d = Entró legalmente en Estados Unidos por el paso fronterizo de San Ysidro en agosto de 2024 y solicitó asilo alegando persecución política y amenazas relacionadas con su orientación sexual.

# en-US: Detained quickly, he was labeled as associated with the Venezuelan Tren de Aragua gang based on only two tattoos, a “mom” and “dad” with a crown, a charge he denies and a label he insists mischaracterized him.
# glossary: Tren de Aragua (do not translate)
detained-quickly-he-was-labeled-65f3a9 = Lo detuvieron enseguida y lo señalaron como vinculado a la banda venezolana Tren de Aragua a partir de solo dos tatuajes —un «mamá» y un «papá» con una corona—, una acusación que él niega y una etiqueta que, según insiste, daba una imagen falsa de él.

## Paragraph 4

# en-US: On March 15, he was deported under the Trump administration’s revived use of the Alien Enemies Act, sent to El Salvador without a hearing and with no direct ties to that country.
# glossary: Alien Enemies Act = Ley de Enemigos Extranjeros
on-march-15-he-was-61f5c1 = El 15 de marzo fue deportado en aplicación de la Ley de Enemigos Extranjeros, que el Gobierno de Trump había vuelto a invocar, y enviado a El Salvador sin comparecer ante un juez y sin tener ningún vínculo directo con ese país.

# en-US: He has since recounted how U.S. officers described their destination to detainees with staged delays that culminated in a swift transfer to San Salvador, landing on a Saturday when courts were closed.
he-has-since-recounted-how-e4d866 = Desde entonces ha relatado cómo los agentes estadounidenses informaban a los detenidos de su destino entre demoras escenificadas que culminaron en un traslado relámpago a San Salvador, donde aterrizaron un sábado, con los tribunales cerrados.

# en-US: The account of that moment, described to reporters, includes guards dragging detainees and the chilling sense that the fate of many was decided away from public view.
the-account-of-that-moment-70e21a = El relato que hizo de aquel momento ante los periodistas incluye a guardias que arrastraban a los detenidos y la escalofriante sensación de que la suerte de muchos se decidió a espaldas de la opinión pública.

## Paragraph 5

# en-US: Once in CECOT, he spent four months behind security barriers that human rights groups have called torturous.
# glossary: CECOT (do not translate)
once-in-cecot-he-spent-d416ef = Una vez en el CECOT, pasó cuatro meses recluido bajo unas medidas de seguridad que las organizaciones de derechos humanos han calificado de tortura.

# en-US: The last time U.S. officials saw him, a Time photographer captured his arrival as guards shaved his head and he cried out, “I’m gay,” calling for his mother’s name in a moment of fear that would become emblematic for a broader narrative about asylum and dignity.
the-last-time-u-s-598fc0 = La última vez que los funcionarios estadounidenses lo vieron, un fotógrafo de la revista Time captó su llegada mientras los guardias le rapaban la cabeza y él gritaba «Soy gay» e invocaba el nombre de su madre, en un momento de miedo que se convertiría en emblema de un relato más amplio sobre el asilo y la dignidad.

## Heading: A daily life that masked fear

# en-US: A daily life that masked fear
a-daily-life-that-masked-324210 = Una vida cotidiana que enmascaraba el miedo

## Paragraph 6

# en-US: Hernández Romero offers a meticulous, almost clinical recounting of life inside CECOT.
# glossary: CECOT (do not translate)
hernandez-romero-offers-a-meticulous-0a3db8 = Hernández Romero hace un relato minucioso, casi clínico, de la vida dentro del CECOT.

# en-US: There were no mattresses or blankets in the cells; beds were metal slabs, and the lighting was relentless.
there-were-no-mattresses-or-a9ee51 = En las celdas no había colchones ni mantas; las camas eran planchas de metal y la luz no daba tregua.

# en-US: Detainees rose early for roll call, with little time for personal care before breakfast.
detainees-rose-early-for-roll-d78691 = Los detenidos se levantaban temprano para el recuento, con poco tiempo para el aseo personal antes del desayuno.

# en-US: There was no television and few opportunities to go outdoors.
there-was-no-television-and-076ee5 = No había televisión y eran pocas las ocasiones de salir al aire libre.

# en-US: Meals arrived at set times, and days were punctuated by religious services and small-group discussions led by a prison pastor.
meals-arrived-at-set-times-eb817f = Las comidas llegaban a horas fijas, y los días estaban jalonados por oficios religiosos y charlas en grupos reducidos que dirigía un pastor de la prisión.

## Paragraph 7

# en-US: The guards kept a constant watch, with the implied threat that many would never leave.
the-guards-kept-a-constant-9a0e0c = Los guardias vigilaban sin descanso, con la amenaza implícita de que muchos nunca saldrían de allí.

# en-US: “They told us we would die there, that we would spend more than 20 years condemned as terrorists,” Hernández Romero recalled.
they-told-us-we-would-d6f713 = «Nos decían que íbamos a morir ahí, que íbamos a pasar más de 20 años condenados como terroristas», recordó Hernández Romero.

# en-US: Yet even in that brutal environment, faith became a lifeline.
yet-even-in-that-brutal-7a0f3c = Pero incluso en aquel entorno brutal, la fe se convirtió en una tabla de salvación.

# en-US: He describes the routine of prayer and scripture as something that helped lessen the weight of the days.
he-describes-the-routine-of-dc294b = Describe la rutina de oraciones y lecturas de las Escrituras como algo que lo ayudaba a aligerar el peso de los días.

## Paragraph 8

# en-US: Inside CECOT, Hernández Romero was the only openly gay man in his unit.
# glossary: CECOT (do not translate)
inside-cecot-hernandez-romero-was-08cec5 = Dentro del CECOT, Hernández Romero era el único hombre abiertamente gay de su módulo.

# en-US: In a hyper-masculine setting, he says mutual respect became the glue that kept tensions manageable.
in-a-hyper-masculine-setting-82e8f1 = En un ambiente hipermasculino, cuenta, el respeto mutuo fue el pegamento que mantuvo las tensiones a raya.

# en-US: “Before being gay, I am a man,” he noted.
before-being-gay-i-am-e42df9 = «Antes que gay, soy hombre», señaló.

# en-US: He learned to blend in, to listen, and to keep his own counsel, describing a delicate balance between self-respect and adaptation.
he-learned-to-blend-in-195d91 = Aprendió a pasar inadvertido, a escuchar y a guardarse lo que pensaba, y describe un delicado equilibrio entre el respeto a sí mismo y la adaptación.

## Heading: A public outcry and a coalition of support

# en-US: A public outcry and a coalition of support
a-public-outcry-and-a-1e699c = Un clamor público y una coalición de apoyo

## Paragraph 9

# en-US: Back home and across the United States, Hernández Romero’s case grew into a cause celebre among activists, lawmakers, and everyday Americans who saw in his story a stark example of injustice and resilience.
back-home-and-across-the-244a6d = En su país y en todo Estados Unidos, el caso de Hernández Romero se convirtió en una causa célebre entre activistas, legisladores y estadounidenses de a pie que vieron en su historia un ejemplo descarnado de injusticia y de resiliencia.

# en-US: His image and words appeared at Pride events, on banners outside the U.S. Supreme Court, and across television and podcast discussions about the treatment of migrants seeking asylum.
his-image-and-words-appeared-bdb8f7 = Su imagen y sus palabras aparecieron en actos del Orgullo, en pancartas frente al Tribunal Supremo de EE. UU. y en debates televisivos y pódcasts sobre el trato que reciben los migrantes que piden asilo.

## Paragraph 10

# en-US: For Hernández Romero, the support wasn’t just symbolic.
for-hernandez-romero-the-support-aed08d = Para Hernández Romero, el apoyo no fue solo simbólico.

# en-US: It provided a vital lifeline, and he has spoken of his gratitude for people who took time from their lives to march, to post, and to offer messages of solidarity.
it-provided-a-vital-lifeline-bcb5c7 = Le sirvió de asidero vital, y ha expresado su gratitud a las personas que sacaron tiempo de sus vidas para manifestarse, publicar en redes sociales y hacerle llegar mensajes de solidaridad.

# en-US: “If something happens to one of us, it happens to all of us,” he said, emphasizing a sense of shared purpose.
if-something-happens-to-one-39a4f5 = «Si a uno de nosotros le pasa algo, nos pasa a todos», dijo, recalcando la idea de una causa compartida.

## Paragraph 11

# en-US: The night before what would become his release, false promises that had punctuated his captivity contributed to a fragile sense of hope.
the-night-before-what-would-398cff = La noche anterior a lo que acabaría siendo su liberación, las falsas promesas que habían salpicado su cautiverio mantenían viva una esperanza frágil.

# en-US: But a pastor’s words carried real weight: “The miracle is done. Tomorrow will be a new day for you.”
but-a-pastor-s-words-f6d2fb = Pero las palabras de un pastor sí tenían verdadero peso: «El milagro ya está hecho. Mañana será un nuevo día para ti».

# en-US: On July 18, the group of 252 Venezuelan men deported from the United States to El Salvador was told to strip to their boxers, shower, and prepare for a move.
on-july-18-the-group-312711 = El 18 de julio se ordenó a los 252 hombres venezolanos deportados desde Estados Unidos a El Salvador que se quedaran en calzoncillos, se ducharan y se prepararan para un traslado.

# en-US: They were loaded onto buses and driven to a military base.
they-were-loaded-onto-buses-6f3959 = Los subieron a autobuses y los llevaron a una base militar.

# en-US: The moment they stepped onto what they believed might be the threshold to a new life, Venezuelan planes appeared on the tarmac, signaling a return to home soil.
the-moment-they-stepped-onto-8642b0 = En el momento en que pisaron lo que creían que podía ser el umbral de una nueva vida, aparecieron en la pista aviones venezolanos, señal de que volvían a su tierra.

## Heading: Toward home and a future

# en-US: Toward home and a future
toward-home-and-a-future-54e470 = Rumbo a casa y a un futuro

## Paragraph 12

# en-US: Now back in Venezuela, Hernández Romero is working with a legal team to navigate his options and rebuild his life.
now-back-in-venezuela-hernandez-3b0b8c = Ya de vuelta en Venezuela, Hernández Romero trabaja con un equipo jurídico para estudiar sus opciones y reconstruir su vida.

# en-US: The road ahead is still uncertain: the political climate in Venezuela has grown more repressive, particularly toward LGBTQ+ individuals, and advocates warn that he remains a risk in the eyes of some authorities.
the-road-ahead-is-still-544b5c = El camino que tiene por delante sigue siendo incierto: el clima político en Venezuela se ha vuelto más represivo, sobre todo con las personas LGBTQ+, y los activistas advierten de que, a ojos de algunas autoridades, sigue siendo un riesgo.

# en-US: Yet there are glimmers of potential safety abroad.
yet-there-are-glimmers-of-c4f86b = Aun así, se vislumbra la posibilidad de ponerse a salvo en el extranjero.

# en-US: Lawyers have reported interest from contacts in Europe who are prepared to offer sanctuary if a path can be found to relocate him.
lawyers-have-reported-interest-from-9a7846 = Sus abogados han informado del interés de contactos en Europa dispuestos a ofrecerle refugio si se encuentra la forma de trasladarlo.

## Paragraph 13

# en-US: For Hernández Romero, the immediate priority is to restore his good name and return to his craft.
for-hernandez-romero-the-immediate-49a503 = Para Hernández Romero, la prioridad inmediata es limpiar su nombre y volver a su oficio.

# en-US: He wants the world to know he is not a criminal, but a stylist and makeup artist whose chosen tools are brushes, not violence.
he-wants-the-world-to-e73df7 = Quiere que el mundo sepa que no es un delincuente, sino un estilista y maquillador que ha elegido como herramientas las brochas, y no la violencia.

# en-US: Even as he rebuilds his professional kit from scratch, his resolve remains undimmed.
even-as-he-rebuilds-his-ae1ef5 = Aunque tiene que rehacer desde cero su maletín profesional, su determinación sigue intacta.

# en-US: He envisions a future where his art not only resumes its place in his life but also becomes a platform to support others facing discrimination or persecution.
he-envisions-a-future-where-37849d = Imagina un futuro en el que su arte no solo vuelva a ocupar el lugar que tenía en su vida, sino que también sirva de plataforma para apoyar a otras personas que sufren discriminación o persecución.

## Heading: A life enriched by gratitude and renewal

# en-US: A life enriched by gratitude and renewal
a-life-enriched-by-gratitude-b47c98 = Una vida enriquecida por la gratitud y el renacer

## Paragraph 14

# en-US: Since his return, Hernández Romero has embraced the small daily joys that had once felt ordinary.
since-his-return-hernandez-romero-5ecb64 = Desde su regreso, Hernández Romero se ha volcado en las pequeñas alegrías del día a día que antes le parecían algo corriente.

# en-US: He starts each day with gratitude, returning to nature with hikes, reading for pleasure, traveling, and spending time with friends.
he-starts-each-day-with-13036e = Empieza cada día dando gracias y ha vuelto a disfrutar de la naturaleza haciendo senderismo, a leer por placer, a viajar y a pasar tiempo con sus amigos.

# en-US: He jokes about his love of food, explaining that he has “no bottom” when it comes to eating, and he continues to work on his makeup skills, with a client’s appointment already scheduled after this interview.
he-jokes-about-his-love-f95fa7 = Bromea sobre su pasión por la comida —cuenta que, a la hora de comer, «no tiene fondo»— y sigue perfeccionando su técnica de maquillaje: después de esta entrevista ya tiene una cita con un cliente.

## Paragraph 15

# en-US: He took part in a public procession honoring the Virgin Mary, wearing shirts bearing his image and the slogan “Libertad para Andry” — Freedom for Andry.
# glossary: Libertad para Andry (do not translate)
he-took-part-in-a-b46f34 = Participó en una procesión en honor a la Virgen María, con camisetas que mostraban su imagen y el lema «Libertad para Andry».

# en-US: Those who recognized him in the crowd approached with warmth and encouragement, underscoring how his struggle has resonated beyond borders and across communities.
those-who-recognized-him-in-ef1b63 = Quienes lo reconocían entre la multitud se acercaban a él con cariño y palabras de ánimo, prueba de hasta qué punto su lucha ha trascendido fronteras y ha calado en comunidades muy distintas.

## Heading: A hopeful path forward

# en-US: A hopeful path forward
a-hopeful-path-forward-66dce1 = Un camino esperanzador

## Paragraph 16

# en-US: Hernández Romero says the experience has taught him patience and a new sense of optimism.
hernandez-romero-says-the-experience-674ad8 = Hernández Romero cuenta que la experiencia le ha enseñado a ser paciente y a mirar la vida con un optimismo nuevo.

# en-US: He has learned to pace himself, to accept help from trusted friends and colleagues, and to lean into the support of people who believe in his cause.
he-has-learned-to-pace-df1de7 = Ha aprendido a dosificar sus fuerzas, a aceptar la ayuda de amigos y compañeros de confianza y a dejarse arropar por quienes creen en su causa.

# en-US: He also recognizes his own growth: moving beyond perfectionism in his design work, learning to trust others to help him realize his vision, and planning to channel his experiences into advocacy and charitable efforts that amplify LGBTQ+ voices.
he-also-recognizes-his-own-2cb9d4 = También reconoce su propio crecimiento: ha dejado atrás el perfeccionismo en su trabajo de diseño, ha aprendido a confiar en otros para que lo ayuden a plasmar su visión y planea canalizar sus experiencias hacia el activismo y las iniciativas benéficas que den más voz a las personas LGBTQ+.

## Paragraph 17

# en-US: As he continues to rebuild his life—and his makeup kit—Hernández Romero remains grateful for the coalition that stood with him, for his family’s renewed strength, and for the strangers who offered messages of love and solidarity.
as-he-continues-to-rebuild-3a8bd3 = Mientras sigue reconstruyendo su vida —y su maletín de maquillaje—, Hernández Romero se muestra agradecido a la coalición que lo respaldó, a su familia, que ha recobrado fuerzas, y a los desconocidos que le hicieron llegar mensajes de cariño y solidaridad.

# en-US: His message to the LGBTQ+ community is one of kinship and reassurance: you are not alone, and the fight for dignity and safety is a shared journey that continues beyond any single court ruling or political moment.
his-message-to-the-lgbtq-6cfae9 = Su mensaje a la comunidad LGBTQ+ es de hermandad y de aliento: no estáis solos, y la lucha por la dignidad y la seguridad es un camino compartido que continúa más allá de cualquier sentencia judicial o coyuntura política.

## Heading: Summary

# en-US: Summary
summary-c9474b = Resumen

## Paragraph 18

# en-US: Andry Hernández Romero’s story is a portrait of endurance across borders and systems that can fail the vulnerable.
andry-hernandez-romero-s-story-6ac84a = La historia de Andry Hernández Romero es un retrato de entereza a través de fronteras y frente a sistemas que pueden dejar desamparados a los más vulnerables.

# en-US: From asylum-seeker to detainee in one of the Americas’ most controversial detention centers, to a return home mediated by a broad network of supporters, his experience sheds light on the human consequences of migration policy, the resilience of individuals under pressure, and the power of solidarity to restore hope.
from-asylum-seeker-to-detainee-31c6ef = De solicitante de asilo a detenido en uno de los centros de reclusión más polémicos del continente americano, y de ahí a un regreso a casa propiciado por una amplia red de apoyos, su experiencia arroja luz sobre las consecuencias humanas de la política migratoria, la resiliencia de las personas sometidas a presión y el poder de la solidaridad para devolver la esperanza.

# en-US: His path forward—focused on reclaiming his name, rebuilding his artistry, and advancing causes for LGBTQ+ rights and asylum reform—offers a hopeful narrative about turning trauma into work that helps others.
his-path-forward-focused-on-5b65dd = El camino que tiene por delante —centrado en recuperar su buen nombre, reconstruir su faceta artística e impulsar causas como los derechos LGBTQ+ y la reforma del sistema de asilo— ofrece un relato esperanzador sobre cómo transformar el trauma en una labor que ayude a los demás.

## Paragraph 19

# en-US: Editor’s note for readers: Hernández Romero’s case intersects with ongoing debates about asylum policies, border enforcement, and the treatment of LGBTQ+ migrants.
editor-s-note-for-readers-77ea95 = Nota de la redacción para los lectores: el caso de Hernández Romero se cruza con los debates abiertos sobre las políticas de asilo, el control fronterizo y el trato a los migrantes LGBTQ+.

# en-US: Readers who want to learn more or support related advocacy efforts can seek organizations that provide legal aid and humanitarian assistance to asylum seekers and LGBTQ+ communities.
# glossary: asylum seekers = solicitantes de asilo
readers-who-want-to-learn-d2b5ee = Los lectores que quieran saber más o apoyar iniciativas de defensa de estas causas pueden dirigirse a organizaciones que ofrecen asistencia jurídica y ayuda humanitaria a los solicitantes de asilo y a las comunidades LGBTQ+.
