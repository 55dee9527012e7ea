"""Italian catalog of the benchmark report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.

Also holds the words the analysis keeps as English codes and translates only where a reader
sees them (``salesops_lib/analyses/benchmark/_words.py``): metric names, definitions and
formulas (``_definitions.METRICS``), the parts the data may not support (``PARTS``), territory
statuses, funnel-plot statuses, watch-list directions.
"""

from __future__ import annotations

from salesops_lib.i18n.it_benchmark_methods import METHODS

#: True once every sentence, label, chart text and methods text of the benchmark report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = True

MESSAGES: dict[str, str | tuple[str, str]] = {
    # ------------------------------------------------------------------ summary and headline
    "{items} and {last}": "{items} e {last}",
    "Not available: {note}": "Non disponibile: {note}",
    "Not shown, for lack of data: {items}; the methods say what to add to see them.": (
        "Non mostrati per mancanza di dati: {items}; i metodi indicano cosa aggiungere per vederli."
    ),
    "No deal closed between {start} and {end}, so there is no win rate to compare.": (
        "Nessuna trattativa chiusa tra {start} e {end}, quindi non c'è un tasso di "
        "vittoria da confrontare."
    ),
    "The team closed {closed} deal between {start} and {end} ({won} won), a win rate of {rate}.": (
        "Il team ha chiuso {closed} trattativa tra {start} e {end} (vinte: {won}), un tasso "
        "di vittoria pari a {rate}.",
        "Il team ha vinto {won} delle {closed} trattative chiuse tra {start} e {end}, un "
        "tasso di vittoria pari a {rate}.",
    ),
    "The team won {won} of {closed} deals closed between {start} and {end}, a win rate of "
    "{rate}; that is we cannot tell it apart from the external benchmark of {benchmark} "
    "({source}).": (
        "Il team ha vinto {won} delle {closed} trattative chiuse tra {start} e {end}, un "
        "tasso di vittoria pari a {rate}; non è distinguibile dal benchmark esterno di "
        "{benchmark} ({source})."
    ),
    "The team won {won} of {closed} deals closed between {start} and {end}, a win rate of "
    "{rate}; that is above the external benchmark of {benchmark} ({source}).": (
        "Il team ha vinto {won} delle {closed} trattative chiuse tra {start} e {end}, un "
        "tasso di vittoria pari a {rate}; è sopra il benchmark esterno di {benchmark} ({source})."
    ),
    "The team won {won} of {closed} deals closed between {start} and {end}, a win rate of "
    "{rate}; that is below the external benchmark of {benchmark} ({source}).": (
        "Il team ha vinto {won} delle {closed} trattative chiuse tra {start} e {end}, un "
        "tasso di vittoria pari a {rate}; è sotto il benchmark esterno di {benchmark} ({source})."
    ),
    "{names} wins clearly more often than the company, allowing for the number of reps compared": (
        "{names} vince nettamente più spesso dell'azienda, tenuto conto del numero di "
        "venditori confrontati",
        "{names} vincono nettamente più spesso dell'azienda, tenuto conto del numero di "
        "venditori confrontati",
    ),
    "{names} wins clearly less often and needs support": (
        "{names} vince nettamente meno spesso e ha bisogno di supporto",
        "{names} vincono nettamente meno spesso e hanno bisogno di supporto",
    ),
    "{names} is probably above the company rate, but not clearly (watch list)": (
        "{names} è probabilmente sopra il tasso aziendale, ma non nettamente (lista di "
        "osservazione)",
        "{names} sono probabilmente sopra il tasso aziendale, ma non nettamente (lista di "
        "osservazione)",
    ),
    "{names} is probably below the company rate, but not clearly (watch list)": (
        "{names} è probabilmente sotto il tasso aziendale, ma non nettamente (lista di "
        "osservazione)",
        "{names} sono probabilmente sotto il tasso aziendale, ma non nettamente (lista di "
        "osservazione)",
    ),
    "Only {n} rep closed deals in the period, so reps cannot be compared on win rate.": (
        "Nel periodo solo {n} venditore ha chiuso trattative, quindi i venditori non si "
        "possono confrontare sul tasso di vittoria."
    ),
    "the other {n} rep cannot be told apart from the company rate once the number of deals "
    "is taken into account": (
        "l'altro venditore non è distinguibile dal tasso aziendale una volta tenuto conto del "
        "numero di trattative",
        "gli altri {n} venditori non sono distinguibili dal tasso aziendale una volta tenuto "
        "conto del numero di trattative",
    ),
    "No rep's win rate differs from the company rate by more than chance allows: we cannot "
    "tell reps apart on win rate in this period.": (
        "Il tasso di vittoria di nessun venditore si discosta dal tasso aziendale più di quanto "
        "consenta il caso: in questo periodo i venditori non sono distinguibili sul tasso di "
        "vittoria."
    ),
    "{n} of {of} reps with a quota ({share}) reached 100% of their quota; {share80} reached "
    "at least 80%; the median rep attained {median}.": (
        "{n} su {of} venditori con un obiettivo ({share}) hanno raggiunto il 100% "
        "dell'obiettivo; {share80} ha raggiunto almeno l'80%; il raggiungimento del "
        "venditore mediano è pari a {median}."
    ),
    "{n} of {of} reps with a quota ({share}) reached 100% of their quota; the median rep "
    "attained {median}.": (
        "{n} su {of} venditori con un obiettivo ({share}) hanno raggiunto il 100% "
        "dell'obiettivo; il raggiungimento del venditore mediano è pari a {median}."
    ),
    "Territory {territory} is overloaded: {leads} new leads per rep, {ratio}× the median "
    "territory.": (
        "Il territorio {territory} è sovraccarico: {leads} nuovi lead per venditore, {ratio}× "
        "il territorio mediano."
    ),
    "No territory carries more than {ratio}× the median lead load per rep.": (
        "Nessun territorio ha più di {ratio}× il carico mediano di lead per venditore."
    ),
    "Data warning: {n} deal owner(s) are missing from the reps table; their deals are shown "
    "as 'Unknown rep' and counted in company totals.": (
        "Avviso sui dati: titolari di trattative assenti dalla tabella dei venditori: {n}; le "
        "loro trattative compaiono come 'Venditore sconosciuto' e sono contate nei totali "
        "aziendali."
    ),
    "No deal closed between {start} and {end}: no win rate to compare.": (
        "Nessuna trattativa chiusa tra {start} e {end}: nessun tasso di vittoria da confrontare."
    ),
    "Win rate {rate} on {closed} closed deals; of {m} reps, {up} clearly above and {down} "
    "clearly below the company rate.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse; su {m} venditori, {up} "
        "nettamente sopra e {down} nettamente sotto il tasso aziendale."
    ),
    "Win rate {rate} on {closed} closed deals; no one of the {m} reps stands out once sample "
    "size is counted.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse; nessuno dei {m} venditori si "
        "distingue una volta tenuto conto della numerosità."
    ),
    "Win rate {rate} on {closed} closed deal.": (
        "Tasso di vittoria {rate} su {closed} trattativa chiusa.",
        "Tasso di vittoria {rate} su {closed} trattative chiuse.",
    ),
    # ------------------------------------------------------------------ deals outside employment
    "owner {name}": "titolare {name}",
    "owners {list}": "titolari {list}",
    "{n} deal closed after their owner left, worth {amount} in won amount ({won} of them won; "
    "{owners}; closed {first} – {last}): not credited to any rep, and left out of rep, team "
    "and company figures.": (
        "{n} trattativa chiusa dopo l'uscita del suo titolare, per {amount} di importo vinto "
        "(vinte: {won}; {owners}; chiuse tra {first} e {last}): non attribuita ad alcun "
        "venditore ed esclusa dai valori di venditori, team e azienda.",
        "{n} trattative chiuse dopo l'uscita del loro titolare, per {amount} di importo vinto "
        "(vinte: {won}; {owners}; chiuse tra {first} e {last}): non attribuite ad alcun "
        "venditore ed escluse dai valori di venditori, team e azienda.",
    ),
    "{n} deal closed before their owner was hired, worth {amount} in won amount ({won} of "
    "them won; {owners}; closed {first} – {last}): not credited to any rep, and left out of "
    "rep, team and company figures.": (
        "{n} trattativa chiusa prima dell'assunzione del suo titolare, per {amount} di importo "
        "vinto (vinte: {won}; {owners}; chiuse tra {first} e {last}): non attribuita ad alcun "
        "venditore ed esclusa dai valori di venditori, team e azienda.",
        "{n} trattative chiuse prima dell'assunzione del loro titolare, per {amount} di importo "
        "vinto (vinte: {won}; {owners}; chiuse tra {first} e {last}): non attribuite ad alcun "
        "venditore ed escluse dai valori di venditori, team e azienda.",
    ),
    "{n} deal closed after their owner left or before they were hired, worth {amount} in won "
    "amount ({won} of them won; {owners}; closed {first} – {last}): not credited to any rep, "
    "and left out of rep, team and company figures.": (
        "{n} trattativa chiusa dopo l'uscita o prima dell'assunzione del suo titolare, per "
        "{amount} di importo vinto (vinte: {won}; {owners}; chiuse tra {first} e {last}): non "
        "attribuita ad alcun venditore ed esclusa dai valori di venditori, team e azienda.",
        "{n} trattative chiuse dopo l'uscita o prima dell'assunzione del loro titolare, per "
        "{amount} di importo vinto (vinte: {won}; {owners}; chiuse tra {first} e {last}): non "
        "attribuite ad alcun venditore ed escluse dai valori di venditori, team e azienda.",
    ),
    "{created} deal(s) created and {activities} activity logged outside their owner's "
    "employment are not credited either.": (
        "Non sono attribuite neppure le trattative create ({created}) e l'attività registrata "
        "({activities}) fuori dal periodo di impiego del titolare.",
        "Non sono attribuite neppure le trattative create ({created}) e le {activities} "
        "attività registrate fuori dal periodo di impiego del titolare.",
    ),
    "{created} deal(s) created outside their owner's employment are not credited either.": (
        "Non sono attribuite neppure le trattative create fuori dal periodo di impiego del "
        "titolare ({created})."
    ),
    "{activities} activity logged outside their owner's employment are not credited either.": (
        "Non è attribuita neppure {activities} attività registrata fuori dal periodo di "
        "impiego del titolare.",
        "Non sono attribuite neppure {activities} attività registrate fuori dal periodo di "
        "impiego del titolare.",
    ),
    "Reassign them in the CRM to the rep who did the work to credit that rep.": (
        "Per attribuirle, riassegnarle nel CRM al venditore che ha svolto il lavoro."
    ),
    # ------------------------------------------------------------------ cards
    "{value}/day": "{value}/giorno",
    "{low}–{high}, {n} closed deals": "{low}–{high}, {n} trattative chiuse",
    "{low}–{high} days; creation to close, won or lost": (
        "{low}–{high} giorni; dalla creazione alla chiusura, vinte o perse"
    ),
    "interval not reached; creation to close, won or lost": (
        "intervallo non raggiunto; dalla creazione alla chiusura, vinte o perse"
    ),
    "Median sales cycle": "Ciclo di vendita mediano",
    "Reps at ≥100% of quota": "Venditori a ≥100% dell'obiettivo",
    "{n} of {of} reps; {low}–{high}": "{n} su {of} venditori; {low}–{high}",
    "{low}–{high} (spread across {reps} reps); {fte} full-time-equivalent reps": (
        "{low}–{high} (su {reps} venditori); {fte} venditori equivalenti a tempo pieno"
    ),
    "(spread across {reps} reps); {fte} full-time-equivalent reps": (
        "(su {reps} venditori); {fte} venditori equivalenti a tempo pieno"
    ),
    "Activities per rep per selling day": "Attività per venditore al giorno di vendita",
    "Lead load, busiest territory": "Carico di lead, territorio più carico",
    "{territory} gets {ratio}× the median leads per rep ({leads} new leads per rep); {n} "
    "territory overloaded": (
        "{territory} riceve {ratio}× i lead mediani per venditore ({leads} nuovi lead per "
        "venditore); {n} territorio sovraccarico",
        "{territory} riceve {ratio}× i lead mediani per venditore ({leads} nuovi lead per "
        "venditore); {n} territori sovraccarichi",
    ),
    "Average won deal": "Valore medio del contratto",
    "mean of {n} won deals with an amount": "media di {n} trattative vinte con un importo",
    "Reps compared on win rate": "Venditori confrontati sul tasso di vittoria",
    "of {n} reps; {idle} closed no deal in the period": (
        "su {n} venditori; {idle} senza trattative chiuse nel periodo"
    ),
    "of {n} reps": "su {n} venditori",
    "{diff} vs external {benchmark}": "{diff} rispetto al benchmark esterno {benchmark}",
    "{diff} days vs external {benchmark}": (
        "{diff} giorni rispetto al benchmark esterno {benchmark}"
    ),
    "{text} (we cannot tell)": "{text} (non distinguibile)",
    "{diff} vs {period} ({previous})": "{diff} rispetto a {period} ({previous})",
    "{diff} day vs {period} ({previous})": (
        "{diff} giorno rispetto a {period} ({previous})",
        "{diff} giorni rispetto a {period} ({previous})",
    ),
    "{change}, within chance": "{change}, entro la variabilità casuale",
    "reps compared": "venditori confrontati",
    # ------------------------------------------------------------------ banners
    "Data quality:": "Qualità dei dati:",
    "Benchmarks:": "Benchmark:",
    "the benchmarks file": "il file dei benchmark",
    "External benchmarks are illustrative placeholders: replace {where} with licensed "
    "figures. They are shown only in the benchmarks table, not in the summary or the "
    "cards.": (
        "I benchmark esterni sono segnaposto illustrativi: sostituire {where} con dati su "
        "licenza. Compaiono solo nella tabella dei benchmark, non nella sintesi né nelle "
        "schede."
    ),
    "{k} of {n} external benchmarks are illustrative placeholders: replace {where} with "
    "licensed figures. They are shown only in the benchmarks table, not in the summary or "
    "the cards.": (
        "{k} benchmark esterni su {n} sono segnaposto illustrativi: sostituire {where} con dati "
        "su licenza. Compaiono solo nella tabella dei benchmark, non nella sintesi né nelle "
        "schede."
    ),
    # ------------------------------------------------------------------ section intros
    "Only one rep closed deals in the period, so there is no one to compare with.": (
        "Nel periodo un solo venditore ha chiuso trattative, quindi non c'è nessuno con cui "
        "confrontarlo."
    ),
    "No rep closed deals in the period, so there is no one to compare with.": (
        "Nel periodo nessun venditore ha chiuso trattative, quindi non c'è nessuno da confrontare."
    ),
    "Each line is a rep's win rate with its 95% interval; the black tick is the shrunk "
    "estimate, which pulls reps with few deals towards the company rate so that a lucky "
    "3-out-of-3 does not top the list. With {m} reps compared at once, some look different by "
    "chance alone, so a rep is coloured only when clearly above (blue) or below (orange) the "
    'company rate by the stricter bar in the methods; reps marked "probably above/below" are '
    "worth watching but not yet singled out. Hollow dots: fewer than {min_closed} closed "
    "deals.": (
        "Ogni riga è il tasso di vittoria di un venditore con il suo intervallo al 95%; la "
        "tacca nera è la stima con shrinkage, che avvicina al tasso aziendale i venditori con "
        "poche trattative, così che un fortunato 3 su 3 non finisca in cima alla classifica. "
        "Confrontando {m} venditori insieme, alcuni sembrano diversi per puro caso, quindi un "
        "venditore è colorato solo se nettamente sopra (blu) o sotto (arancione) il tasso "
        "aziendale secondo la soglia più severa descritta nei metodi; i venditori indicati come "
        '"probabilmente sopra/sotto" vanno tenuti d\'occhio ma non sono ancora segnalati. '
        "Cerchi vuoti: meno di {min_closed} trattative chiuse."
    ),
    "Win rate against the number of closed deals. The funnel narrows as deals accumulate: a "
    "rep on the company rate lands outside the dashed lines by chance about 1 time in 20 (so "
    "about {expected} of the {m} reps compared do), outside the solid lines about 1 time in "
    "500. Only reps outside the solid lines are coloured; those between the lines are "
    'labelled "possible".': (
        "Tasso di vittoria rispetto al numero di trattative chiuse. L'imbuto si restringe man "
        "mano che le trattative si accumulano: un venditore con il tasso aziendale cade fuori "
        "dalle linee tratteggiate per caso circa 1 volta su 20 (quindi circa {expected} dei "
        "{m} venditori confrontati), fuori dalle linee continue circa 1 volta su 500. Solo i "
        "venditori fuori dalle linee continue sono colorati; quelli tra le linee sono "
        'etichettati "possibile".'
    ),
    "Win rate against the number of closed deals. The funnel narrows as deals accumulate: a "
    "rep on the company rate lands outside the dashed lines by chance about 1 time in 20 (so "
    "with {m} reps compared, the chance that at least one does is {chance}), outside the "
    "solid lines about 1 time in 500. Only reps outside the solid lines are coloured; those "
    'between the lines are labelled "possible".': (
        "Tasso di vittoria rispetto al numero di trattative chiuse. L'imbuto si restringe man "
        "mano che le trattative si accumulano: un venditore con il tasso aziendale cade fuori "
        "dalle linee tratteggiate per caso circa 1 volta su 20 (quindi con {m} venditori "
        "confrontati la probabilità che almeno uno ci cada è pari a {chance}), fuori dalle linee "
        "continue circa 1 volta su 500. Solo i venditori fuori dalle linee continue sono "
        'colorati; quelli tra le linee sono etichettati "possibile".'
    ),
    "Only one rep closed deals in the period, so win rates are not compared.": (
        "Nel periodo un solo venditore ha chiuso trattative, quindi i tassi di vittoria non "
        "sono confrontati."
    ),
    "No rep closed deals in the period, so win rates are not compared.": (
        "Nel periodo nessun venditore ha chiuso trattative, quindi i tassi di vittoria non "
        "sono confrontati."
    ),
    "Only one rep closed deals in the period, so win rates are not compared; reps listed "
    "here reached the attainment thresholds on a meaningful number of deals. Each row says "
    "how far from the benchmark and how sure we are.": (
        "Nel periodo un solo venditore ha chiuso trattative, quindi i tassi di vittoria non "
        "sono confrontati; i venditori elencati qui hanno raggiunto le soglie di "
        "raggiungimento dell'obiettivo su un numero significativo di trattative. Ogni riga "
        "dice quanto sono lontani dal benchmark e con quale certezza."
    ),
    "No rep closed deals in the period, so win rates are not compared; reps listed here "
    "reached the attainment thresholds on a meaningful number of deals. Each row says how "
    "far from the benchmark and how sure we are.": (
        "Nel periodo nessun venditore ha chiuso trattative, quindi i tassi di vittoria non "
        "sono confrontati; i venditori elencati qui hanno raggiunto le soglie di "
        "raggiungimento dell'obiettivo su un numero significativo di trattative. Ogni riga "
        "dice quanto sono lontani dal benchmark e con quale certezza."
    ),
    "Reps listed here are clearly above or below the company win rate (after allowing for "
    "the {m} reps compared), or reached the attainment thresholds on a meaningful number of "
    "deals or log clearly fewer activities than the median rep. Each row says which metric, "
    "how far from the benchmark, and how sure we are.": (
        "I venditori elencati qui sono nettamente sopra o sotto il tasso di vittoria aziendale "
        "(tenuto conto dei {m} venditori confrontati), oppure hanno raggiunto le soglie di "
        "raggiungimento dell'obiettivo su un numero significativo di trattative, oppure "
        "registrano nettamente meno attività del venditore mediano. Ogni riga dice quale "
        "metrica, quanto lontano dal benchmark e con quale certezza."
    ),
    "Reps listed here are clearly above or below the company win rate (after allowing for "
    "the {m} reps compared), or reached the attainment thresholds on a meaningful number of "
    "deals. Each row says which metric, how far from the benchmark, and how sure we are.": (
        "I venditori elencati qui sono nettamente sopra o sotto il tasso di vittoria aziendale "
        "(tenuto conto dei {m} venditori confrontati), oppure hanno raggiunto le soglie di "
        "raggiungimento dell'obiettivo su un numero significativo di trattative. Ogni riga "
        "dice quale metrica, quanto lontano dal benchmark e con quale certezza."
    ),
    "Reps listed here are clearly above or below the company win rate (after allowing for "
    "the {m} reps compared) or log clearly fewer activities than the median rep. Each row "
    "says which metric, how far from the benchmark, and how sure we are.": (
        "I venditori elencati qui sono nettamente sopra o sotto il tasso di vittoria aziendale "
        "(tenuto conto dei {m} venditori confrontati) oppure registrano nettamente meno "
        "attività del venditore mediano. Ogni riga dice quale metrica, quanto lontano dal "
        "benchmark e con quale certezza."
    ),
    "Reps listed here are clearly above or below the company win rate (after allowing for "
    "the {m} reps compared). Each row says which metric, how far from the benchmark, and how "
    "sure we are.": (
        "I venditori elencati qui sono nettamente sopra o sotto il tasso di vittoria aziendale "
        "(tenuto conto dei {m} venditori confrontati). Ogni riga dice quale metrica, quanto "
        "lontano dal benchmark e con quale certezza."
    ),
    "Not only the average: how many reps reached {thresholds} of their adjusted quota.": (
        "Non solo la media: quanti venditori hanno raggiunto le soglie {thresholds} "
        "del loro obiettivo rettificato."
    ),
    "New leads per full-time-equivalent rep by territory. A territory far above the median "
    "stretches its reps (and inflates their attainment); one far below leaves capacity "
    "unused.": (
        "Nuovi lead per venditore equivalente a tempo pieno, per territorio. Un territorio "
        "molto sopra la mediana sovraccarica i suoi venditori (e ne gonfia il raggiungimento "
        "dell'obiettivo); uno molto sotto lascia capacità inutilizzata."
    ),
    # ------------------------------------------------------------------ chart titles
    "Rep win rates overlap: no rep stands out once sample size is counted": (
        "I tassi di vittoria dei venditori si sovrappongono: nessuno si distingue una volta "
        "tenuto conto della numerosità"
    ),
    "{up} rep clearly above and {down} clearly below the company win rate": (
        "{up} venditore nettamente sopra e {down} nettamente sotto il tasso di vittoria aziendale",
        "{up} venditori nettamente sopra e {down} nettamente sotto il tasso di vittoria aziendale",
    ),
    "No rep lies outside the 99.8% limits": "Nessun venditore è fuori dai limiti al 99,8%",
    "{n} rep outside the 99.8% limits ({up} above, {down} below)": (
        "{n} venditore fuori dai limiti al 99,8% ({up} sopra, {down} sotto)",
        "{n} venditori fuori dai limiti al 99,8% ({up} sopra, {down} sotto)",
    ),
    "{n} rep outside the 99.8% limits ({up} above)": (
        "{n} venditore fuori dai limiti al 99,8% ({up} sopra)",
        "{n} venditori fuori dai limiti al 99,8% ({up} sopra)",
    ),
    "{n} rep outside the 99.8% limits ({down} below)": (
        "{n} venditore fuori dai limiti al 99,8% ({down} sotto)",
        "{n} venditori fuori dai limiti al 99,8% ({down} sotto)",
    ),
    "{title}; {n} more possible (between the 95% and 99.8% limits)": (
        "{title}; altri {n} possibili (tra i limiti al 95% e al 99,8%)"
    ),
    "{share} of reps reached quota; median attainment {median}": (
        "{share} dei venditori ha raggiunto l'obiettivo; raggiungimento mediano {median}"
    ),
    "Quota attainment by rep": "Raggiungimento dell'obiettivo per venditore",
    "{territory} carries {ratio}× the median lead load per rep": (
        "{territory} ha {ratio}× il carico mediano di lead per venditore"
    ),
    "Lead load per rep is balanced across territories": (
        "Il carico di lead per venditore è equilibrato tra i territori"
    ),
    # ------------------------------------------------------------------ chart texts
    "Win rate (closed deals won), with 95% interval; tick = shrunk estimate": (
        "Tasso di vittoria (trattative chiuse vinte), con intervallo al 95%; tacca = stima con "
        "shrinkage"
    ),
    "Hollow: n < {small_n} closed deals ({n} rep)": (
        "Vuoti: n < {small_n} trattative chiuse ({n} venditore)",
        "Vuoti: n < {small_n} trattative chiuse ({n} venditori)",
    ),
    "company {rate}": "azienda {rate}",
    "{rep} (possible)": "{rep} (possibile)",
    "Closed deals in the period (n)": "Trattative chiuse nel periodo (n)",
    "Win rate": "Tasso di vittoria",
    "Dashed: 95% limits; solid: 99.8% limits. Coloured: outside 99.8%;\ngrey label: possible "
    "(between 95% and 99.8%). Hollow: n < {small_n}.": (
        "Tratteggio: limiti al 95%; linea continua: limiti al 99,8%. Colorati: fuori dal "
        "99,8%;\netichetta grigia: possibile (tra 95% e 99,8%). Vuoti: n < {small_n}."
    ),
    "≥{threshold}: {share} of reps": "≥{threshold}: {share} dei venditori",
    "{n} rep at {pct} or more in the last bar": (
        "{n} venditore al {pct} o più nell'ultima barra",
        "{n} venditori al {pct} o più nell'ultima barra",
    ),
    "Quota attainment (won amount ÷ adjusted quota)": (
        "Raggiungimento dell'obiettivo (importo vinto ÷ obiettivo rettificato)"
    ),
    "Reps": "Venditori",
    "median {value}": "mediana {value}",
    "New leads per full-time rep in the period": (
        "Nuovi lead per venditore a tempo pieno nel periodo"
    ),
    # ------------------------------------------------------------------ sections
    "Top performers to recognise": "Venditori migliori da riconoscere",
    "Reps who need support": "Venditori che hanno bisogno di supporto",
    "Watch list: probably above or below": ("Lista di osservazione: probabilmente sopra o sotto"),
    "Reps whose win rate is probably, but not clearly, different from the company rate. Not a "
    "verdict: check again next period.": (
        "Venditori il cui tasso di vittoria è probabilmente, ma non nettamente, diverso dal "
        "tasso aziendale. Non è un verdetto: ricontrollare il prossimo periodo."
    ),
    "Who wins more: the leaderboard with intervals": (
        "Chi vince di più: la classifica con gli intervalli"
    ),
    "Outliers or noise: the funnel plot": "Valori anomali o rumore: il funnel plot",
    "Recognition and coaching": "Riconoscimento e coaching",
    "Quota attainment: the whole distribution": (
        "Raggiungimento dell'obiettivo: l'intera distribuzione"
    ),
    "Territory balance: is the workload fair?": (
        "Equilibrio tra territori: il carico di lavoro è equo?"
    ),
    "Teams and regions": "Team e regioni",
    "Benchmarks: internal and external": "Benchmark: interni ed esterni",
    "Our figure next to the median and top-quartile rep (per full-time-equivalent rep for "
    "counts and amounts) and to external benchmarks. Read the two definitions side by side: "
    "an external figure measured differently is not a like-for-like comparison, and a "
    "placeholder is no benchmark at all.": (
        "Il nostro valore accanto a quello del venditore mediano e del venditore del quartile "
        "migliore (per venditore equivalente a tempo pieno per conteggi e importi) e ai "
        "benchmark esterni. Leggere le due definizioni affiancate: un valore esterno misurato "
        "diversamente non è un confronto omogeneo, e un segnaposto non è affatto un benchmark."
    ),
    "Not shown: {reason}": "{reason}",
    # ------------------------------------------------------------------ tables
    "Rep": "Venditore",
    "Team": "Team",
    "Region": "Regione",
    "Territory": "Territorio",
    "Closed deals": "Trattative chiuse",
    "Win rate (95% interval)": "Tasso di vittoria (intervallo al 95%)",
    "Shrunk win rate": "Tasso di vittoria con shrinkage",
    "Median rank (range)": "Posizione mediana (intervallo)",
    "Attainment": "Raggiungimento",
    "Median cycle (days)": "Ciclo mediano (giorni)",
    "Activities / day": "Attività al giorno",
    "Funnel plot": "Funnel plot (imbuto)",
    "FTE reps": "Venditori FTE",
    "Closed": "Chiuse",
    "By value": "Per valore",
    "Avg won": "Valore medio",
    "Cycle (days)": "Ciclo (giorni)",
    "Activities/day": "Attività/giorno",
    "Velocity/day": "Velocità/giorno",
    "Metric": "Metrica",
    "Ours": "Nostro",
    "Median rep": "Venditore mediano",
    "Top-quartile rep": "Venditore del quartile migliore",
    "Better": "Meglio se",
    "External": "Esterno",
    "Like for like?": "Omogeneo?",
    "Source (year)": "Fonte (anno)",
    "Their definition": "La loro definizione",
    "Our definition": "La nostra definizione",
    "Of": "Su",
    "Share (95% interval)": "Quota (intervallo al 95%)",
    "Leads": "Lead",
    "Leads per rep": "Lead per venditore",
    "× median": "× mediana",
    "Accounts per rep": "Account per venditore",
    "Open pipeline per rep": "Pipeline aperta per venditore",
    "Status": "Stato",
    "Why (metric, distance from benchmark, how sure)": (
        "Perché (metrica, distanza dal benchmark, certezza)"
    ),
    "Reps ordered by shrunk win rate. Median rank over posterior draws (ties possible) with "
    "the range of ranks in 95% of draws: the range shows how settled each position is. "
    "Funnel plot: 'possible' = between the 95% and 99.8% limits.": (
        "Venditori ordinati per tasso di vittoria con shrinkage. Posizione mediana sulle "
        "estrazioni a posteriori (pari merito possibili) con l'intervallo delle posizioni nel "
        "95% delle estrazioni: l'intervallo mostra quanto è stabile ogni posizione. Funnel "
        "plot: 'possibile' = tra i limiti al 95% e al 99,8%."
    ),
    "Reps: people with any record in the period; FTE reps: their selling days ÷ working days. "
    "Rates pooled over the group's deals; activities per rep per selling day; velocity = open "
    "deals × win rate × average won deal ÷ cycle.": (
        "Venditori: persone con almeno un record nel periodo; venditori FTE: i loro giorni di "
        "vendita ÷ giorni lavorativi. Tassi calcolati sull'insieme delle trattative del "
        "gruppo; attività per venditore al giorno di vendita; velocità = trattative aperte × "
        "tasso di vittoria × valore medio del contratto ÷ ciclo."
    ),
    "Reps: people with any record in the period; FTE reps: their selling days ÷ working days. "
    "Rates pooled over the group's deals; activities per rep per selling day.": (
        "Venditori: persone con almeno un record nel periodo; venditori FTE: i loro giorni di "
        "vendita ÷ giorni lavorativi. Tassi calcolati sull'insieme delle trattative del "
        "gruppo; attività per venditore al giorno di vendita."
    ),
    "Reps: people with any record in the period; FTE reps: their selling days ÷ working days. "
    "Rates pooled over the group's deals; velocity = open deals × win rate × average won deal "
    "÷ cycle.": (
        "Venditori: persone con almeno un record nel periodo; venditori FTE: i loro giorni di "
        "vendita ÷ giorni lavorativi. Tassi calcolati sull'insieme delle trattative del "
        "gruppo; velocità = trattative aperte × tasso di vittoria × valore medio del contratto "
        "÷ ciclo."
    ),
    "Reps: people with any record in the period; FTE reps: their selling days ÷ working days. "
    "Rates pooled over the group's deals.": (
        "Venditori: persone con almeno un record nel periodo; venditori FTE: i loro giorni di "
        "vendita ÷ giorni lavorativi. Tassi calcolati sull'insieme delle trattative del gruppo."
    ),
    "{metric} per FTE rep": "{metric} per venditore FTE",
    "Internal benchmarks (same definitions as ours). Counts and amounts are per "
    "full-time-equivalent rep (selling days ÷ working days), for us and for each rep; medians "
    "and quartiles over reps with at least one selling day in the period. Top quartile = 75th "
    "percentile of reps, or the 25th where lower is better; rate benchmarks use reps with at "
    "least {n} closed deals.": (
        "Benchmark interni (stesse definizioni delle nostre). Conteggi e importi sono per "
        "venditore equivalente a tempo pieno (giorni di vendita ÷ giorni lavorativi), per noi "
        "e per ogni venditore; mediane e quartili sui venditori con almeno un giorno di "
        "vendita nel periodo. Quartile migliore = 75° percentile dei venditori, o il 25° dove "
        "è meglio un valore più basso; i benchmark sui tassi usano i venditori con almeno {n} "
        "trattative chiuse."
    ),
    "No external benchmarks were given (parameter benchmarks_file).": (
        "Non è stato indicato alcun benchmark esterno (parametro benchmarks_file)."
    ),
    "Yes": "Sì",
    "No": "No",
    "No: {differences}": "No, {differences}",
    "Not confirmed": "Non confermato",
    "Not confirmed: {differences}": "Non confermato: {differences}",
    "not in this data": "non presente in questi dati",
    "{value} (placeholder)": "{value} (segnaposto)",
    "Compare only where the two definitions match ('Like for like?'); the full definition of "
    "ours is in the methods section.": (
        "Confrontare solo dove le due definizioni coincidono ('Omogeneo?'); la definizione "
        "completa della nostra è nella sezione dei metodi."
    ),
    "Figures marked (placeholder) are illustrative, not real benchmarks: they are not "
    "compared with ours anywhere in this report. Compare only where the two definitions "
    "match ('Like for like?'); the full definition of ours is in the methods section.": (
        "I valori indicati come (segnaposto) sono illustrativi, non benchmark reali: non sono "
        "confrontati con i nostri in nessun punto di questo report. Confrontare solo dove le "
        "due definizioni coincidono ('Omogeneo?'); la definizione completa della nostra è "
        "nella sezione dei metodi."
    ),
    "Spread of leads per rep across territories: Gini {gini}, coefficient of variation {cv} "
    "(0 = perfectly even; see the methods).": (
        "Dispersione dei lead per venditore tra i territori: Gini {gini}, coefficiente di "
        "variazione {cv} (0 = perfettamente uniforme; vedere i metodi)."
    ),
    "No rep is on the watch list: every rep is either clearly above or below the company win "
    "rate, or cannot be told apart from it.": (
        "Nessun venditore è nella lista di osservazione: ogni venditore è nettamente sopra o "
        "sotto il tasso di vittoria aziendale, oppure non è distinguibile da esso."
    ),
    "No rep is on the watch list: every rep is either clearly above or below the company win "
    "rate, or cannot be told apart from it. The funnel plot's {n} 'possible' rep sit between "
    "its 95% and 99.8% limits on raw counts; once each rate is shrunk towards the company "
    "rate, none is even probably (95%) above or below it.": (
        "Nessun venditore è nella lista di osservazione: ogni venditore è nettamente sopra o "
        "sotto il tasso di vittoria aziendale, oppure non è distinguibile da esso. Il "
        "venditore 'possibile' del funnel plot ({n}) sta tra i limiti al 95% e al 99,8% sui "
        "conteggi grezzi; una volta avvicinato ogni tasso a quello aziendale (shrinkage), "
        "nessuno è nemmeno probabilmente (95%) sopra o sotto.",
        "Nessun venditore è nella lista di osservazione: ogni venditore è nettamente sopra o "
        "sotto il tasso di vittoria aziendale, oppure non è distinguibile da esso. I {n} "
        "venditori 'possibili' del funnel plot stanno tra i limiti al 95% e al 99,8% sui "
        "conteggi grezzi; una volta avvicinato ogni tasso a quello aziendale (shrinkage), "
        "nessuno è nemmeno probabilmente (95%) sopra o sotto.",
    ),
    "No rep qualifies: differences from the benchmarks are within what chance allows for "
    "this period.": (
        "Nessun venditore rientra: le differenze dai benchmark sono entro quanto consente il "
        "caso per questo periodo."
    ),
    "No rep closed deals in the period: there is no leaderboard.": (
        "Nel periodo nessun venditore ha chiuso trattative: non c'è una classifica."
    ),
    "All reps: the full leaderboard": "Tutti i venditori: la classifica completa",
    # ------------------------------------------------------------------ list reasons
    "more than {pct}": "oltre {pct}",
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is above the company rate (at least {bar} needed).": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sopra il tasso "
        "aziendale (serve almeno {bar})."
    ),
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is below the company rate (at least {bar} needed).": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sotto il tasso "
        "aziendale (serve almeno {bar})."
    ),
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is above the company rate, short of the {bar} needed to single "
    "out one of {m} reps: probably above, keep watching.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sopra il tasso "
        "aziendale, sotto la soglia di {bar} necessaria per segnalare uno tra {m} venditori: "
        "probabilmente sopra, da tenere d'occhio."
    ),
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is above the company rate, short of the {bar} needed: probably "
    "above, keep watching.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sopra il tasso "
        "aziendale, sotto la soglia di {bar} necessaria: probabilmente sopra, da tenere d'occhio."
    ),
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is below the company rate, short of the {bar} needed to single "
    "out one of {m} reps: probably below, keep watching.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sotto il tasso "
        "aziendale, sotto la soglia di {bar} necessaria per segnalare uno tra {m} venditori: "
        "probabilmente sotto, da tenere d'occhio."
    ),
    "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate {shrunk} "
    "({diff}); {sure} sure it is below the company rate, short of the {bar} needed: probably "
    "below, keep watching.": (
        "Tasso di vittoria {rate} su {closed} trattative chiuse contro {company} dell'azienda; "
        "stima con shrinkage {shrunk} ({diff}); certezza di {sure} che sia sotto il tasso "
        "aziendale, sotto la soglia di {bar} necessaria: probabilmente sotto, da tenere d'occhio."
    ),
    "Attained {attained} of the adjusted quota (≥ {bar}), on {closed} closed deals "
    "(observed, not estimated).": (
        "Raggiungimento pari a {attained} dell'obiettivo rettificato (≥ {bar}), su {closed} "
        "trattative chiuse (osservato, non stimato)."
    ),
    "Attained {attained} of the adjusted quota (< {bar}), on {closed} closed deals "
    "(observed, not estimated).": (
        "Raggiungimento pari a {attained} dell'obiettivo rettificato (< {bar}), su {closed} "
        "trattative chiuse (osservato, non stimato)."
    ),
    "{rate} activities per selling day ({low}–{high}) vs {median} for the median rep (bar: "
    "under 75% of the median with the whole interval below it; activity counts are observed, "
    "so no win-rate bar applies).": (
        "{rate} attività al giorno di vendita ({low}–{high}) contro {median} del venditore "
        "mediano (soglia: sotto il 75% della mediana con l'intero intervallo al di sotto; i "
        "conteggi delle attività sono osservati, quindi non si applica la soglia del tasso di "
        "vittoria)."
    ),
    "Mixed signals: {reason}": "Segnali contrastanti: {reason}",
    "{reason} Also: {watch}": "{reason} Inoltre: {watch}",
    "{reason}; note: territory {territory} is overloaded with leads, which drives attainment.": (
        "{reason}; nota: il territorio {territory} è sovraccarico di lead, il che influisce "
        "sul raggiungimento dell'obiettivo."
    ),
    "{reason}; note: territory {territory} is underloaded with leads, which drives attainment.": (
        "{reason}; nota: il territorio {territory} riceve pochi lead, il che influisce sul "
        "raggiungimento dell'obiettivo."
    ),
    "{n} owner id(s) appear in the data but not in the `reps` table: {owners}. Their {deals} "
    "closed deal(s) and other records are grouped as 'Unknown rep': counted in company "
    "totals, not ranked. Add them to `reps` to rank them.": (
        "Identificativi di titolari presenti nei dati ma non nella tabella `reps` ({n}): "
        "{owners}. Le loro trattative chiuse ({deals}) e gli altri record sono raggruppati "
        "come 'Venditore sconosciuto': contati nei totali aziendali, non in classifica. "
        "Aggiungerli a `reps` per includerli nella classifica."
    ),
    **METHODS,
}
