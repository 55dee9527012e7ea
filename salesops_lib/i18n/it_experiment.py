"""Italian catalog of the experiment report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the experiment report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = True

MESSAGES: dict[str, str | tuple[str, str]] = {
    # ------------------------------------------------------------------ units (unit_label)
    "lead": ("lead", "lead"),
    "contact": ("contatto", "contatti"),
    "opportunity": ("opportunità", "opportunità"),
    "deal": ("trattativa", "trattative"),
    "visitor": ("visitatore", "visitatori"),
    "user": ("utente", "utenti"),
    "unit": ("unità", "unità"),
    "customer": ("cliente", "clienti"),
    # ------------------------------------------------------------------ numbers (_format.py)
    "unbounded": "illimitato",
    "interval not available": "intervallo non disponibile",
    "{low} to {high}": "da {low} a {high}",
    "{value} days": "{value} giorni",
    "over {pct}": "oltre il {pct}",
    "under {pct}": "meno dello {pct}",
    "percentage points": "punti percentuali",
    # ------------------------------------------------------------------ headline, chart title
    "Ship {arm}: {diff} {metric} ({low} to {high}).": (
        "Adottare {arm}: {diff} su {metric} (da {low} a {high})."
    ),
    "{arm} lifts {metric} by {diff}": "{arm} aumenta {metric} di {diff}",
    "{arm} lowers {metric} by {diff}": "{arm} riduce {metric} di {diff}",
    "{arm} lifts {metric} by {diff}; {others} cannot be told apart from {control}": (
        "{arm} aumenta {metric} di {diff}; per {others} nessuna differenza chiara da {control}"
    ),
    "{arm} lowers {metric} by {diff}; {others} cannot be told apart from {control}": (
        "{arm} riduce {metric} di {diff}; per {others} nessuna differenza chiara da {control}"
    ),
    "No arm beats {control} on {metric}": "Nessuna variante batte {control} su {metric}",
    "We cannot tell yet whether any arm beats {control} on {metric}": (
        "Non possiamo ancora dire se una variante batta {control} su {metric}"
    ),
    # ------------------------------------------------------------------ summary
    "by day {day}": "entro il giorno {day}",
    "{value} (capped mean)": "{value} (media troncata)",
    "Recommendation: ship {arm}. {metric} was {arm_value} with {arm} against "
    "{control_value} with {control}, a difference of {diff} ({ci}).": (
        "Raccomandazione: adottare {arm}. {metric}: {arm_value} con {arm} contro "
        "{control_value} con {control}, una differenza di {diff} ({ci})."
    ),
    "Recommendation: do not ship. {reason}": "Raccomandazione: non adottare. {reason}",
    "Recommendation: inconclusive — we cannot tell yet. {reason}": (
        "Raccomandazione: risultato non conclusivo, non possiamo ancora dirlo. {reason}"
    ),
    "clearly better than {control}": "chiaramente migliore di {control}",
    "clearly worse than {control}": "chiaramente peggiore di {control}",
    "we cannot tell it apart from {control}": "non si distingue da {control}",
    "{arm}: {value}, {diff} (log-rank {p}) — {judge}": (
        "{arm}: {value}, {diff} (test log-rank {p}), {judge}"
    ),
    "{arm}: {value}, {diff} ({ci}) — {judge}": "{arm}: {value}, {diff} ({ci}), {judge}",
    "{metric}: fewer than half the {units} reached {event} in every arm, so the arms are "
    "compared by the share that reached it {by}.": (
        "{metric}: meno della metà dei {units} ha raggiunto {event} in tutte le varianti, "
        "quindi le varianti sono confrontate per la quota che l'ha raggiunto {by}."
    ),
    "{metric}: fewer than half the {units} reached {event} in some arms, so the arms are "
    "compared by the share that reached it {by}.": (
        "{metric}: meno della metà dei {units} ha raggiunto {event} in alcune varianti, "
        "quindi le varianti sono confrontate per la quota che l'ha raggiunto {by}."
    ),
    "{metric} by arm: no arm clearly apart from {control}": (
        "{metric} per variante: nessuna variante nettamente diversa da {control}"
    ),
    "Against {control} at {value}: {parts}.": "Rispetto a {control}, pari a {value}: {parts}.",
    "{metric}: {arm_value} with {arm}, {control_value} with {control}.": (
        "{metric}: {arm_value} con {arm}, {control_value} con {control}."
    ),
    "Given the data, the chance that {arm} is truly better than {control} is {prob}.": (
        "Alla luce dei dati, la probabilità che {arm} sia davvero migliore di {control}: {prob}."
    ),
    "Guardrail {metric} failed for {arm}: it changed by {diff}, and in the worst case the data "
    "allow it could rise by {bound} (allowed: {margin}).": (
        "Guardrail {metric} non rispettato per {arm}: è variato di {diff} e, nel caso peggiore "
        "compatibile con i dati, potrebbe salire di {bound} (consentito: {margin})."
    ),
    "Guardrail {metric} failed for {arm}: it changed by {diff}, and in the worst case the data "
    "allow it could fall by {bound} (allowed: {margin}).": (
        "Guardrail {metric} non rispettato per {arm}: è variato di {diff} e, nel caso peggiore "
        "compatibile con i dati, potrebbe scendere di {bound} (consentito: {margin})."
    ),
    "Guardrail {metric} failed for {arms} and {last}; for {arm} it changed by {diff}, and in "
    "the worst case the data allow it could rise by {bound} (allowed: {margin}).": (
        "Guardrail {metric} non rispettato per {arms} e {last}; per {arm} è variato di {diff} e, "
        "nel caso peggiore compatibile con i dati, potrebbe salire di {bound} (consentito: "
        "{margin})."
    ),
    "Guardrail {metric} failed for {arms} and {last}; for {arm} it changed by {diff}, and in "
    "the worst case the data allow it could fall by {bound} (allowed: {margin}).": (
        "Guardrail {metric} non rispettato per {arms} e {last}; per {arm} è variato di {diff} e, "
        "nel caso peggiore compatibile con i dati, potrebbe scendere di {bound} (consentito: "
        "{margin})."
    ),
    "Guardrail {metric} held: {diff} for {arm}; even in the worst case the data allow, it would "
    "rise by no more than {bound} (allowed: {margin}).": (
        "Guardrail {metric} rispettato: {diff} per {arm}; anche nel caso peggiore compatibile "
        "con i dati salirebbe al massimo di {bound} (consentito: {margin})."
    ),
    "Guardrail {metric} held: {diff} for {arm}; even in the worst case the data allow, it would "
    "fall by no more than {bound} (allowed: {margin}).": (
        "Guardrail {metric} rispettato: {diff} per {arm}; anche nel caso peggiore compatibile "
        "con i dati scenderebbe al massimo di {bound} (consentito: {margin})."
    ),
    "Guardrail {metric} held: {diff} for {arm}; even in the worst case the data allow, it would "
    "not rise at all (allowed: {margin}).": (
        "Guardrail {metric} rispettato: {diff} per {arm}; anche nel caso peggiore compatibile "
        "con i dati non salirebbe affatto (consentito: {margin})."
    ),
    "Guardrail {metric} held: {diff} for {arm}; even in the worst case the data allow, it would "
    "not fall at all (allowed: {margin}).": (
        "Guardrail {metric} rispettato: {diff} per {arm}; anche nel caso peggiore compatibile "
        "con i dati non scenderebbe affatto (consentito: {margin})."
    ),
    "Arm sizes are borderline against the plan ({p}; the check flags only p < {alpha}, since a "
    "small p also turns up by chance): not a failure, but check the assignment if it persists": (
        "La ripartizione tra le varianti è al limite rispetto al piano ({p}; il controllo "
        "segnala solo p < {alpha}, perché un p piccolo capita anche per caso): non è un errore, "
        "ma se persiste verificate l'assegnazione"
    ),
    "Arm sizes match the plan ({p})": "La ripartizione tra le varianti rispetta il piano ({p})",
    "{units} assigned to more than one arm was left out": (
        "{units} assegnato a più di una variante è stato escluso",
        "{units} assegnati a più di una variante sono stati esclusi",
    ),
    "Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} intervals for "
    "differences from {control} (wider because {m} arms are each compared with {control}).": (
        "Gli intervalli tra parentesi sono al {a_level} per il tasso di ciascuna variante e al "
        "{d_level} per le differenze da {control} (più ampi perché {m} varianti sono confrontate "
        "ciascuna con {control})."
    ),
    "Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} intervals for "
    "differences from {control}.": (
        "Gli intervalli tra parentesi sono al {a_level} per il tasso di ciascuna variante e al "
        "{d_level} per le differenze da {control}."
    ),
    "Ranges in brackets are {a_level} intervals.": (
        "Gli intervalli tra parentesi sono al {a_level}."
    ),
    "Ranges in brackets are {d_level} intervals for differences from {control} (wider because "
    "{m} arms are each compared with {control}).": (
        "Gli intervalli tra parentesi sono al {d_level} per le differenze da {control} (più "
        "ampi perché {m} varianti sono confrontate ciascuna con {control})."
    ),
    "Ranges in brackets are {d_level} intervals for differences from {control}.": (
        "Gli intervalli tra parentesi sono al {d_level} per le differenze da {control}."
    ),
    # ------------------------------------------------------------------ banners, cards
    "Data-quality check failed:": "Controllo di qualità dei dati non superato:",
    "Data-quality warning:": "Avviso sulla qualità dei dati:",
    "Data note:": "Nota sui dati:",
    "{diff} vs {control}": "{diff} rispetto a {control}",
    "Reached {event} by day {day}: {arm}": "Hanno raggiunto {event} entro il giorno {day}: {arm}",
    "log-rank {p}": "test log-rank {p}",
    "Relative change, {arm} vs {control}": "Variazione relativa, {arm} rispetto a {control}",
    "Chance {arm} is truly better": "Probabilità che {arm} sia davvero migliore",
    "given these results": "dati questi risultati",
    "{units} in the test": "{units} nell'esperimento",
    "{n} arms; {excluded} excluded (in more than one arm)": (
        "{n} varianti; esclusi perché in più di una variante: {excluded}"
    ),
    "{n} arms": "{n} varianti",
    "Verdict": "Verdetto",
    "Ship {arm}": "Adottare {arm}",
    "Do not ship": "Non adottare",
    "Inconclusive": "Non conclusivo",
    "capped mean (values above {cap} capped)": "media troncata (valori oltre {cap} troncati)",
    # ------------------------------------------------------------------ power note
    "The detectable effect is not available for this metric.": (
        "L'effetto minimo rilevabile non è disponibile per questa metrica."
    ),
    "With {units} in {arm} and {n_control} in {control}, this test had {a_pct} chance to detect "
    "a true change in {metric} of {effect} or more ({rel}% relative).": (
        "Con {units} in {arm} e {n_control} in {control}, questo esperimento aveva {a_pct} di "
        "probabilità di rilevare una variazione reale di {metric} pari ad almeno {effect} "
        "({rel}% in termini relativi)."
    ),
    "Smaller true effects could have been missed: a result that is not significant is not "
    "proof of no effect.": (
        "Effetti reali più piccoli potrebbero essere sfuggiti: un risultato non significativo "
        "non prova l'assenza di effetto."
    ),
    # ------------------------------------------------------------------ sections
    "Effect of each arm on {metric}": "Effetto di ciascuna variante su {metric}",
    "Each dot is the difference against control; the bar is its interval. A bar that crosses "
    "the zero line means we cannot tell that arm apart from control.": (
        "Ogni punto è la differenza rispetto al controllo; la barra è il suo intervallo. Una "
        "barra che attraversa lo zero significa che quella variante non si distingue dal "
        "controllo."
    ),
    "Not shown: fewer than half the {units} reached {event} in at least one arm, so there is "
    "no difference of medians; the next section compares the share that reached {event} day "
    "by day.": (
        "In almeno una variante meno della metà dei {units} ha raggiunto {event}, "
        "quindi non c'è una differenza di mediane; la sezione successiva confronta giorno per "
        "giorno la quota che ha raggiunto {event}."
    ),
    "How quickly {units} reach {event}": "Quanto rapidamente i {units} raggiungono {event}",
    "Share of {units} that had reached {event} on each day after assignment ({units} that have "
    "not reached it yet count until the data's as-of time).": (
        "Quota di {units} che ha raggiunto {event} in ciascun giorno dopo l'assegnazione (i "
        "{units} che non l'hanno ancora raggiunto contano fino alla data di riferimento dei dati)."
    ),
    "How quickly units reach the outcome": "Quanto rapidamente le unità raggiungono l'esito",
    "Not shown: no time-to-event metric was requested.": (
        "Non è stata richiesta alcuna metrica di tempo all'evento."
    ),
    "Every metric against control": "Tutte le metriche rispetto al controllo",
    "The primary metric and the secondary metrics, each arm against control; the secondary "
    "metrics show side effects.": (
        "La metrica principale e le metriche secondarie, ogni variante rispetto al controllo; "
        "le metriche secondarie mostrano gli effetti collaterali."
    ),
    "Each arm against control on {metric}, in numbers": (
        "Ogni variante rispetto al controllo su {metric}, in numeri"
    ),
    "The effects above as a table, with the relative change, the adjusted p-value and the "
    "chance that each arm is truly better.": (
        "Gli effetti visti sopra in tabella, con la variazione relativa, il valore p corretto e "
        "la probabilità che ciascuna variante sia davvero migliore."
    ),
    "Robustness of the count and value metrics": "Robustezza delle metriche di conteggio e valore",
    "The same comparison with a bootstrap interval, a rank test and an adjustment for the "
    "pre-period engagement score (CUPED).": (
        "Lo stesso confronto con un intervallo bootstrap, un test sui ranghi e una correzione "
        "per il punteggio di coinvolgimento del periodo precedente (CUPED)."
    ),
    "Not shown: no count or value metric was requested.": (
        "Non è stata richiesta alcuna metrica di conteggio o di valore."
    ),
    "Guardrails": "Metriche guardrail",
    "Each guardrail must not get worse by more than its allowed change.": (
        "Ogni metrica guardrail non deve peggiorare oltre la variazione consentita."
    ),
    "Not shown: no guardrail metric was set.": ("Non è stata impostata alcuna metrica guardrail."),
    "What this test could have detected": "Cosa poteva rilevare questo esperimento",
    "Monitoring while the test ran": "Monitoraggio durante l'esperimento",
    "Always-valid (sequential) read-out of the primary metric, recomputed every week as "
    "outcomes became known.": (
        "Lettura sempre valida (sequenziale) della metrica principale, ricalcolata ogni "
        "settimana man mano che gli esiti diventavano noti."
    ),
    "Not shown: sequential (always-valid) monitoring was not requested; set `sequential: true` "
    "with the test's plan to add it.": (
        "Il monitoraggio sequenziale (sempre valido) non è stato richiesto; per "
        "aggiungerlo impostare `sequential: true` con il piano dell'esperimento."
    ),
    "Units per arm against the planned split, units found in more than one arm, and balance "
    "before the test.": (
        "Unità per variante rispetto alla ripartizione prevista, unità presenti in più di una "
        "variante e bilanciamento prima dell'esperimento."
    ),
    "Units per arm against the planned split, units found in more than one arm.": (
        "Unità per variante rispetto alla ripartizione prevista, unità presenti in più di una "
        "variante."
    ),
    "Found when the data was imported: {notes}": (
        "Rilevato durante l'importazione dei dati: {notes}"
    ),
    "Data quality": "Qualità dei dati",
    # ------------------------------------------------------------------ tables
    "Interval ({level})": "Intervallo ({level})",
    "Interval": "Intervallo",
    "day {a} and day {b}": "il giorno {a} e il giorno {b}",
    "day {day}": "il giorno {day}",
    "{metric}: median not reached: fewer than half the {units} reached {event}. The rows show "
    "the share that reached {event} by {days} and the log-rank p.": (
        "{metric}: mediana non raggiunta, meno della metà dei {units} ha raggiunto {event}. Le "
        "righe mostrano la quota che ha raggiunto {event} entro {days} e il p del test log-rank."
    ),
    "not reached": "non raggiunta",
    "{value} (uncapped {uncapped})": "{value} (senza troncamento {uncapped})",
    "Metric": "Metrica",
    "Arm": "Variante",
    "Control": "Controllo",
    "Arm value": "Valore variante",
    "Difference": "Differenza",
    "Relative": "Relativa",
    "p (adjusted)": "p (corretto)",
    "P(better)": "P(migliore)",
    "{share} by day {day}": "{share} entro il giorno {day}",
    "{metric}: share reached {event}": "{metric}: quota che ha raggiunto {event}",
    "{diff} by day {day}": "{diff} entro il giorno {day}",
    "{p} (log-rank)": "{p} (test log-rank)",
    "No guardrail metric was set (params: guardrails).": (
        "Nessuna metrica guardrail impostata (parametri: guardrails)."
    ),
    "a fall of up to {margin}": "un calo fino a {margin}",
    "a rise of up to {margin}": "un aumento fino a {margin}",
    "Guardrail": "Metrica guardrail",
    "Change": "Variazione",
    "Worst case ({level}, one-sided)": "Caso peggiore ({level}, unilaterale)",
    "Allowed": "Consentito",
    "Result": "Esito",
    "held": "rispettato",
    "FAILED": "NON SUPERATO",
    "A guardrail holds when its worst case stays within the allowed change. The worst case is "
    "the end of the {two} interval on the harmful side: a one-sided {one} bound (the {alpha} "
    "error rate split over the {m} arms compared with {control}).": (
        "Una metrica guardrail è rispettata quando il suo caso peggiore resta entro la "
        "variazione consentita. Il caso peggiore è l'estremo dell'intervallo al {two} dal lato "
        "sfavorevole: un limite unilaterale al {one} (il tasso d'errore {alpha} ripartito sulle "
        "{m} varianti confrontate con {control})."
    ),
    "A guardrail holds when its worst case stays within the allowed change. The worst case is "
    "the end of the {two} interval on the harmful side: a one-sided {one} bound.": (
        "Una metrica guardrail è rispettata quando il suo caso peggiore resta entro la "
        "variazione consentita. Il caso peggiore è l'estremo dell'intervallo al {two} dal lato "
        "sfavorevole: un limite unilaterale al {one}."
    ),
    "Units": "Unità",
    "Converted": "Convertiti",
    "Rate": "Tasso",
    "Planned share": "Quota prevista",
    "Actual share": "Quota effettiva",
    "With event": "Con evento",
    "Median": "Mediana",
    "Reached by end of window": "Raggiunto entro fine finestra",
    "Mean, uncapped": "Media senza troncamento",
    "Units capped": "Unità troncate",
    "Mean": "Media",
    "Share above zero": "Quota sopra zero",
    "Main comparison": "Confronto principale",
    "Main comparison, without capping": "Confronto principale, senza troncamento",
    "Bootstrap interval": "Intervallo bootstrap",
    "Adjusted for pre-period (CUPED)": "Corretto per il periodo precedente (CUPED)",
    "Variance reduction": "Riduzione della varianza",
    "{metric}: the main comparison, bootstrap and CUPED use the {cap}": (
        "{metric}: il confronto principale, il bootstrap e CUPED usano la {cap}"
    ),
    "Sequential monitoring was not requested for this report; set `sequential: true` with the "
    "test's plan to add it.": (
        "Il monitoraggio sequenziale non è stato richiesto per questo report; per aggiungerlo "
        "impostare `sequential: true` con il piano dell'esperimento."
    ),
    "Always-valid p": "p sempre valido",
    "Always-valid p (adjusted for {m} arms)": "p sempre valido (corretto per {m} varianti)",
    "Weekly looks": "Letture settimanali",
    "Last look: data to": "Ultima lettura: dati fino al",
    "Units (arm / control)": "Unità (variante / controllo)",
    "Always-valid interval ({level})": "Intervallo sempre valido ({level})",
    "First clear result: look with data to": "Primo risultato chiaro: lettura con dati fino al",
    "Valid however often the results were looked at: checking weekly does not raise the "
    "false-positive rate, with the error rate split over the {m} arms compared with {control}. "
    "Each look is labelled by the last day of data it includes.": (
        "Valido per quante volte si guardino i risultati: il controllo settimanale non aumenta "
        "il tasso di falsi positivi, con il tasso d'errore ripartito sulle {m} varianti "
        "confrontate con {control}. Ogni lettura è indicata dall'ultimo giorno di dati che "
        "include."
    ),
    "Valid however often the results were looked at: checking weekly does not raise the "
    "false-positive rate. Each look is labelled by the last day of data it includes.": (
        "Valido per quante volte si guardino i risultati: il controllo settimanale non aumenta "
        "il tasso di falsi positivi. Ogni lettura è indicata dall'ultimo giorno di dati che "
        "include."
    ),
    "passed": "superato",
    "Check": "Controllo",
    "Status": "Stato",
    # ------------------------------------------------------------------ charts
    "Difference vs control": "Differenza rispetto al controllo",
    "Difference vs control (percentage points)": (
        "Differenza rispetto al controllo (punti percentuali)"
    ),
    "Relative change vs control": "Variazione relativa rispetto al controllo",
    "Difference vs control (per unit)": "Differenza rispetto al controllo (per unità)",
    "Difference vs control (days)": "Differenza rispetto al controllo (giorni)",
    "Days since assignment": "Giorni dall'assegnazione",
    "Share of units (black tick: planned share)": ("Quota di unità (tacca nera: quota prevista)"),
    "Conversion rate": "Tasso di conversione",
    "Hollow markers: fewer than {n} units.": "Indicatori vuoti: meno di {n} unità.",
    "Share reached {event}": "Quota che ha raggiunto {event}",
    "Share without {event}": "Quota senza {event}",
    "{actual} ({n}) vs plan {planned}": "{actual} ({n}) contro {planned} previsto",
    "{metric}: difference vs {control} (percentage points)": (
        "{metric}: differenza rispetto a {control} (punti percentuali)"
    ),
    "{metric}: difference in median vs {control} (days; negative = faster)": (
        "{metric}: differenza della mediana rispetto a {control} (giorni; negativo = più rapido)"
    ),
    "{metric}: difference in {cap} vs {control}": (
        "{metric}: differenza della {cap} rispetto a {control}"
    ),
    "{metric}: difference in mean vs {control}": (
        "{metric}: differenza della media rispetto a {control}"
    ),
    "{arm} has the highest {metric}: {rate}": "{arm} ha il valore più alto di {metric}: {rate}",
    "Relative change against control, every metric": (
        "Variazione relativa rispetto al controllo, tutte le metriche"
    ),
    "by the as-of time": "entro la data di riferimento",
    "{arm} reaches {event} sooner than {control}: {detail} ({p})": (
        "{arm} raggiunge {event} prima di {control}: {detail} ({p})"
    ),
    "Time to {event}: no arm is clearly faster than {control}": (
        "Tempo fino a {event}: nessuna variante è chiaramente più rapida di {control}"
    ),
    "median {arm} vs {control} days": "mediana {arm} contro {control} giorni",
    "{arm} vs {control} {horizon}": "{arm} contro {control} {horizon}",
    "Arm sizes do not match the plan ({p})": (
        "La ripartizione tra le varianti non rispetta il piano ({p})"
    ),
    "Arm sizes are borderline against the plan ({p})": (
        "La ripartizione tra le varianti è al limite rispetto al piano ({p})"
    ),
    # ------------------------------------------------------------------ metric definitions
    "Share of units that reached {stage} within {days} of assignment.": (
        "Quota di unità che hanno raggiunto {stage} entro {days} dall'assegnazione."
    ),
    "Share of units that reached {stage} by the as-of time.": (
        "Quota di unità che hanno raggiunto {stage} entro la data di riferimento."
    ),
    "Share of units that had at least one {activity} within {days} of assignment.": (
        "Quota di unità con almeno un'attività {activity} entro {days} dall'assegnazione."
    ),
    "Share of units that had at least one {activity} by the as-of time.": (
        "Quota di unità con almeno un'attività {activity} entro la data di riferimento."
    ),
    "Number of {activity} activities per unit within {days} of assignment.": (
        "Numero di attività {activity} per unità entro {days} dall'assegnazione."
    ),
    "Number of {activity} activities per unit by the as-of time.": (
        "Numero di attività {activity} per unità entro la data di riferimento."
    ),
    "Amount of opportunities won per unit within {days} of assignment (0 when none).": (
        "Importo delle opportunità vinte per unità entro {days} dall'assegnazione (0 se nessuna)."
    ),
    "Amount of opportunities won per unit by the as-of time (0 when none).": (
        "Importo delle opportunità vinte per unità entro la data di riferimento (0 se nessuna)."
    ),
    "Amount of opportunities reaching {stage} per unit within {days} of assignment "
    "(0 when none).": (
        "Importo delle opportunità che raggiungono la fase {stage} per unità entro {days} "
        "dall'assegnazione (0 se nessuna)."
    ),
    "Amount of opportunities reaching {stage} per unit by the as-of time (0 when none).": (
        "Importo delle opportunità che raggiungono la fase {stage} per unità entro la data di "
        "riferimento (0 se nessuna)."
    ),
    "Days from assignment to the first {event} (censored at {days} or at the as-of time when "
    "it has not happened).": (
        "Giorni dall'assegnazione al primo {event} (dati censurati a {days} o alla data di "
        "riferimento se l'evento non è avvenuto)."
    ),
    "Days from assignment to the first {event} (censored at the as-of time when it has not "
    "happened).": (
        "Giorni dall'assegnazione al primo {event} (dati censurati alla data di riferimento se "
        "l'evento non è avvenuto)."
    ),
    # ------------------------------------------------------------------ data quality
    "The arms are not the planned size ({p}, {method} test): {arm} has {actual} of {units} "
    "against {planned} planned. Assignment may be broken; treat the results with caution.": (
        "Squilibrio nella ripartizione (SRM) rispetto al piano ({p}, test {method}): {arm} ha "
        "il {actual} dei {units} contro il {planned} previsto. L'assegnazione potrebbe essere "
        "difettosa; leggere i risultati con cautela."
    ),
    "{units} was assigned to more than one arm (e.g. {examples}) and was left out of every "
    "analysis.": (
        "{units} è stato assegnato a più di una variante (ad es. {examples}) ed è stato escluso "
        "da ogni analisi.",
        "{units} sono stati assegnati a più di una variante (ad es. {examples}) e sono stati "
        "esclusi da ogni analisi.",
    ),
    "The arms differed before the test started by up to {smd} standard deviations (pre-period "
    "value), no more than random assignment gives at this size (up to {chance} 95% of the "
    "time): no sign of a broken assignment, but the effects are less precise; the adjusted "
    "(CUPED) estimates allow for it.": (
        "Prima dell'esperimento le varianti differivano fino a {smd} deviazioni standard (valore "
        "del periodo precedente), non più di quanto dia un'assegnazione casuale a questa "
        "numerosità (fino a {chance} nel 95% dei casi): nessun segno di un'assegnazione "
        "difettosa, ma gli effetti sono meno precisi; le stime corrette (CUPED) ne tengono conto."
    ),
    "The arms differed before the test started by up to {smd} standard deviations (pre-period "
    "value), no more than random assignment gives at this size (up to {chance} 95% of the "
    "time): no sign of a broken assignment, but the effects are less precise; a pre-period "
    "adjustment (CUPED) would allow for it.": (
        "Prima dell'esperimento le varianti differivano fino a {smd} deviazioni standard (valore "
        "del periodo precedente), non più di quanto dia un'assegnazione casuale a questa "
        "numerosità (fino a {chance} nel 95% dei casi): nessun segno di un'assegnazione "
        "difettosa, ma gli effetti sono meno precisi; una correzione per il periodo precedente "
        "(CUPED) ne terrebbe conto."
    ),
    "The arms differed before the test started (pre-period value, largest standardised "
    "difference {smd} ≥ {limit}, more than random assignment gives at this size, up to "
    "{chance}); the adjusted (CUPED) estimates are the safer read.": (
        "Prima dell'esperimento le varianti differivano (valore del periodo precedente, massima "
        "differenza standardizzata {smd} ≥ {limit}, più di quanto dia un'assegnazione casuale a "
        "questa numerosità, fino a {chance}); le stime corrette (CUPED) sono la lettura più "
        "sicura."
    ),
    "The arms differed before the test started (pre-period value, largest standardised "
    "difference {smd} ≥ {limit}, more than random assignment gives at this size, up to "
    "{chance}); no metric of this report has a pre-period adjustment, so read the differences "
    "with that in mind.": (
        "Prima dell'esperimento le varianti differivano (valore del periodo precedente, massima "
        "differenza standardizzata {smd} ≥ {limit}, più di quanto dia un'assegnazione casuale a "
        "questa numerosità, fino a {chance}); nessuna metrica di questo report ha una correzione "
        "per il periodo precedente, quindi leggere le differenze tenendone conto."
    ),
    "Arm sizes match the planned split": "Ripartizione tra le varianti come da piano",
    "Units in more than one arm": "Unità in più di una variante",
    "{n} excluded": "escluse: {n}",
    "Pre-period balance (largest standardised difference)": (
        "Bilanciamento nel periodo precedente (massima differenza standardizzata)"
    ),
    "chance alone gives up to {chance} at this size": (
        "il solo caso dà fino a {chance} a questa numerosità"
    ),
    "Units whose window is still open ({metric})": "Unità con finestra ancora aperta ({metric})",
    "{n} not yet counted": "non ancora conteggiate: {n}",
    # ------------------------------------------------------------------ verdict reasons
    "{items} and {last}": "{items} e {last}",
    "{diff} in the share that reached {event} {by}": (
        "{diff} nella quota che ha raggiunto {event} {by}"
    ),
    "log-rank {p}; no interval without a median": (
        "test log-rank {p}; nessun intervallo senza una mediana"
    ),
    "{arm} is better than {control} on {metric}: {diff} ({ci}), and no guardrail is harmed.": (
        "{arm} è migliore di {control} su {metric}: {diff} ({ci}), e nessuna metrica guardrail "
        "peggiora."
    ),
    "{arm} is worse than {control} on {metric}: {diff} ({ci}).": (
        "{arm} è peggiore di {control} su {metric}: {diff} ({ci})."
    ),
    "The difference for {arm} ({diff}, {ci}) could be zero.": (
        "La differenza per {arm} ({diff}, {ci}) potrebbe essere nulla."
    ),
    "A harm to guardrails {names} larger than their margins cannot be ruled out for {arms}.": (
        "Per {arms} non si può escludere un peggioramento delle metriche guardrail {names} "
        "oltre i loro margini."
    ),
    "A harm to guardrail {names} larger than its margin cannot be ruled out for {arms}.": (
        "Per {arms} non si può escludere un peggioramento della metrica guardrail {names} oltre "
        "il suo margine."
    ),
    "{reason} But the arms are not the planned size, so assignment may be broken; fix it "
    "before acting.": (
        "{reason} Ma la ripartizione tra le varianti non rispetta il piano (SRM), quindi "
        "l'assegnazione potrebbe essere difettosa: correggerla prima di agire."
    ),
    "τ = {tau} given in the params (sequential_tau)": (
        "τ = {tau} indicato nei parametri (sequential_tau)"
    ),
    "τ = {tau}, chosen before the test from the plan: baseline rate {rate}, {n} units per arm": (
        "τ = {tau}, scelto prima dell'esperimento dal piano: tasso di partenza {rate}, {n} unità "
        "per variante"
    ),
    # ------------------------------------------------------------------ methods
    "primary metric": "metrica principale",
    "secondary metric": "metrica secondaria",
    "guardrail": "metrica guardrail",
    "Non-inferiority margin: {margin}.": "Margine di non inferiorità: {margin}.",
    "Shown as a {cap_label}: the cap is the {pct}th percentile of the {n_nonzero} units with a "
    "non-zero value (all arms pooled); {n_capped} of {n_units} units were capped "
    "({share_capped} of those with a value), which removes {share_removed} of won revenue. The "
    "uncapped means are shown next to the capped ones.": (
        "Mostrata come {cap_label}: la soglia è il {pct}° percentile delle {n_nonzero} unità con "
        "valore diverso da zero (tutte le varianti insieme); {n_capped} unità su {n_units} sono "
        "state troncate ({share_capped} di quelle con un valore), il che toglie il "
        "{share_removed} dei ricavi delle trattative vinte. Le medie senza troncamento sono "
        "mostrate accanto a quelle troncate."
    ),
    "Shown as a {cap_label}: the cap is the {pct}th percentile of the {n_nonzero} units with a "
    "non-zero value (all arms pooled); {n_capped} of {n_units} units were capped "
    "({share_capped} of those with a value), which removes {share_removed} of the amount. The "
    "uncapped means are shown next to the capped ones.": (
        "Mostrata come {cap_label}: la soglia è il {pct}° percentile delle {n_nonzero} unità con "
        "valore diverso da zero (tutte le varianti insieme); {n_capped} unità su {n_units} sono "
        "state troncate ({share_capped} di quelle con un valore), il che toglie il "
        "{share_removed} dell'importo. Le medie senza troncamento sono mostrate accanto a quelle "
        "troncate."
    ),
    "Shown as a {cap_label}: the cap is the {pct}th percentile of the {n_nonzero} units with a "
    "non-zero value (all arms pooled); {n_capped} of {n_units} units were capped "
    "({share_capped} of those with a value), which removes {share_removed} of the total. The "
    "uncapped means are shown next to the capped ones.": (
        "Mostrata come {cap_label}: la soglia è il {pct}° percentile delle {n_nonzero} unità con "
        "valore diverso da zero (tutte le varianti insieme); {n_capped} unità su {n_units} sono "
        "state troncate ({share_capped} di quelle con un valore), il che toglie il "
        "{share_removed} del totale. Le medie senza troncamento sono mostrate accanto a quelle "
        "troncate."
    ),
    "Units were assigned from {first} to {last}; data as of {as_of}.": (
        "Le unità sono state assegnate dal {first} al {last}; dati al {as_of}."
    ),
    "Units and exclusions": "Unità ed esclusioni",
    "{units} in campaign_members for {campaign}, arm = variant. {multi} found in more than one "
    "arm was excluded from every analysis; units whose outcome window had not closed by the "
    "as-of time are left out of that metric.": (
        "{units} in campaign_members per {campaign}, variante = variant. {multi} presente in più "
        "di una variante è stato escluso da ogni analisi; le unità la cui finestra di esito non "
        "era chiusa alla data di riferimento sono escluse da quella metrica.",
        "{units} in campaign_members per {campaign}, variante = variant. {multi} presenti in più "
        "di una variante sono stati esclusi da ogni analisi; le unità la cui finestra di esito "
        "non era chiusa alla data di riferimento sono escluse da quella metrica.",
    ),
    "Intervals": "Intervalli",
    "Sample-ratio check": "Controllo della ripartizione (SRM)",
    "Chi-square goodness-of-fit test of units per arm against the planned split (exact "
    "binomial / multinomial test when an expected count is below 5); flagged when p < {alpha}.": (
        "Test chi quadro di adattamento delle unità per variante rispetto alla ripartizione "
        "prevista (test esatto binomiale / multinomiale quando un conteggio atteso è sotto 5); "
        "segnalato quando p < {alpha}."
    ),
    "Pre-period balance": "Bilanciamento nel periodo precedente",
    "Standardised mean difference of pre_period_value against control (flagged at {limit}), "
    "with Welch tests.": (
        "Differenza media standardizzata di pre_period_value rispetto al controllo (segnalata "
        "da {limit}), con test di Welch."
    ),
    "Binary metrics": "Metriche binarie",
    "Differences in rates are in percentage points (pp): from 30% to 35% is +5 pp. Difference "
    "in rates with the Newcombe hybrid score interval; two-sided pooled z-test (Boschloo exact "
    "test when an expected count is below 5); relative lift with the MOVER-R interval from the "
    "same Wilson limits, which always agrees with the difference's interval on direction "
    "(Fieller's interval in the JSON results); Bayesian probability to beat control and expected "
    "loss from Beta(1, 1) priors.": (
        "Le differenze tra tassi sono in punti percentuali (p.p.): dal 30% al 35% è +5 p.p. "
        "Differenza tra tassi con l'intervallo ibrido di Newcombe; test z bilaterale con "
        "varianza combinata (test esatto di Boschloo quando un conteggio atteso è sotto 5); "
        "incremento relativo con l'intervallo MOVER-R dagli stessi limiti di Wilson, sempre "
        "concorde con l'intervallo della differenza sulla direzione (l'intervallo di Fieller è "
        "nei risultati JSON); probabilità bayesiana di battere il controllo e perdita attesa da "
        "prior Beta(1, 1)."
    ),
    "Welch t-test on per-unit values; percentile interval of a Poisson bootstrap (each arm's "
    "units spread over up to {buckets} buckets, a Poisson(1) weight per bucket and replicate; "
    "with fewer units every unit is its own bucket); optional capping of large values at a "
    "percentile of the non-zero values of all arms pooled (most {units} have no revenue, so a "
    "percentile of all units would cut into ordinary deals); Mann–Whitney U test as a "
    "robustness check": (
        "Test t di Welch sui valori per unità; intervallo percentile di un bootstrap di Poisson "
        "(le unità di ogni variante ripartite in un massimo di {buckets} gruppi, un peso "
        "Poisson(1) per gruppo e replica; con meno unità ogni unità è un gruppo a sé); "
        "troncamento facoltativo dei valori elevati a un percentile dei valori diversi da zero "
        "di tutte le varianti insieme (la maggior parte dei {units} non genera ricavi, quindi un "
        "percentile di tutte le unità taglierebbe trattative ordinarie); test U di Mann–Whitney "
        "come verifica di robustezza"
    ),
    "; CUPED regression adjustment with pre_period_value (variance reduction shown)": (
        "; correzione di regressione CUPED con pre_period_value (riduzione della varianza indicata)"
    ),
    ". Count metrics: relative change from the Poisson rate ratio.": (
        ". Metriche di conteggio: variazione relativa dal rapporto tra tassi di Poisson."
    ),
    "Everything is computed from per-arm sums, moments, exact quantiles, rank sums and bucket "
    "sums in the database engine, so memory does not grow with the number of units.": (
        "Tutto è calcolato nel motore del database da somme, momenti, quantili esatti, somme "
        "dei ranghi e somme per gruppo di ciascuna variante, quindi la memoria non cresce con il "
        "numero di unità."
    ),
    "Count and value metrics": "Metriche di conteggio e di valore",
    "Time to event": "Tempo all'evento",
    "Kaplan–Meier curves per arm (units without the event are censored at the as-of time or "
    "at the end of the window); log-rank test; difference in median days with a {level} "
    "bootstrap interval.": (
        "Curve di Kaplan–Meier per variante (le unità senza evento sono censurate alla data di "
        "riferimento o alla fine della finestra); test log-rank; differenza dei giorni mediani "
        "con un intervallo bootstrap al {level}."
    ),
    "Ship when the primary metric's adjusted p-value is below {alpha}, its interval lies on "
    "the good side of zero and every guardrail holds (non-inferiority, see Intervals). Do not "
    "ship when the treatment is clearly worse or a guardrail fails. Otherwise inconclusive. A "
    "failed sample-ratio check makes a ship verdict inconclusive.": (
        "Adottare quando il valore p corretto della metrica principale è sotto {alpha}, il suo "
        "intervallo sta dal lato favorevole dello zero e ogni metrica guardrail è rispettata "
        "(non inferiorità, vedi Intervalli). Non adottare quando la variante è chiaramente "
        "peggiore o una metrica guardrail non è rispettata. Altrimenti non conclusivo. Uno "
        "squilibrio nella ripartizione (SRM) rende non conclusivo un verdetto di adozione."
    ),
    "Ship when the primary metric's adjusted p-value is below {alpha}, its interval lies on "
    "the good side of zero. Do not ship when the treatment is clearly worse. Otherwise "
    "inconclusive. A failed sample-ratio check makes a ship verdict inconclusive.": (
        "Adottare quando il valore p corretto della metrica principale è sotto {alpha} e il suo "
        "intervallo sta dal lato favorevole dello zero. Non adottare quando la variante è "
        "chiaramente peggiore. Altrimenti non conclusivo. Uno squilibrio nella ripartizione "
        "(SRM) rende non conclusivo un verdetto di adozione."
    ),
    "Detectable effect": "Effetto minimo rilevabile",
    "The smallest true difference this test would have found with {power}% probability at its "
    "final size (a planning quantity; not post-hoc power on the observed effect).": (
        "La più piccola differenza reale che questo esperimento avrebbe rilevato con una "
        "probabilità del {power}% alla sua numerosità finale (una grandezza di pianificazione, "
        "non la potenza a posteriori sull'effetto osservato)."
    ),
    "Cluster randomisation": "Randomizzazione a cluster",
    "Units were randomised in clusters ({cluster_by}). Binary metrics use a linear probability "
    "model with cluster-robust CR2 (Bell–McCaffrey) standard errors and Satterthwaite degrees "
    "of freedom, which hold their error rate with few clusters; value metrics compare cluster "
    "means; the design effect is shown per comparison.": (
        "Le unità sono state randomizzate a cluster ({cluster_by}). Le metriche binarie usano "
        "un modello di probabilità lineare con errori standard CR2 robusti ai cluster "
        "(Bell–McCaffrey) e gradi di libertà di Satterthwaite, che mantengono il tasso d'errore "
        "anche con pochi cluster; le metriche di valore confrontano le medie dei cluster; "
        "l'effetto del disegno è indicato per ogni confronto."
    ),
    "Sequential monitoring": "Monitoraggio sequenziale",
    "Each of the {m} arms is compared with {control} at {alpha}/{m} = {per_arm} (Bonferroni); "
    "the p-values shown are multiplied by {m} and the intervals are {level}.": (
        "Ciascuna delle {m} varianti è confrontata con {control} a {alpha}/{m} = {per_arm} "
        "(Bonferroni); i valori p mostrati sono moltiplicati per {m} e gli intervalli sono al "
        "{level}."
    ),
    "Always-valid p-values and confidence sequences from the mixture sequential probability "
    "ratio test (mSPRT, normal mixture on the difference in rates): looking at the results "
    "early does not inflate false positives. {tau}.{bonf} One look per week once every arm has "
    "50 units with a known outcome; the look of a week includes the units whose {days}-day "
    "window closed by its Sunday (by the as-of time for the last look) and is labelled by that "
    "last day of data.": (
        "Valori p sempre validi e sequenze di confidenza dal test sequenziale del rapporto di "
        "verosimiglianza a miscela (mSPRT, miscela normale sulla differenza tra tassi): "
        "guardare i risultati in anticipo non aumenta i falsi positivi. {tau}.{bonf} Una "
        "lettura a settimana da quando ogni variante ha 50 unità con esito noto; la lettura di "
        "una settimana include le unità la cui finestra di {days} giorni si è chiusa entro la "
        "domenica (entro la data di riferimento per l'ultima lettura) ed è indicata da "
        "quell'ultimo giorno di dati."
    ),
    "Always-valid p-values and confidence sequences from the mixture sequential probability "
    "ratio test (mSPRT, normal mixture on the difference in rates): looking at the results "
    "early does not inflate false positives. {tau}.{bonf} One look per week once every arm has "
    "50 units with a known outcome; the look of a week includes the units whose outcome closed "
    "by its Sunday (by the as-of time for the last look) and is labelled by that last day of "
    "data.": (
        "Valori p sempre validi e sequenze di confidenza dal test sequenziale del rapporto di "
        "verosimiglianza a miscela (mSPRT, miscela normale sulla differenza tra tassi): "
        "guardare i risultati in anticipo non aumenta i falsi positivi. {tau}.{bonf} Una "
        "lettura a settimana da quando ogni variante ha 50 unità con esito noto; la lettura di "
        "una settimana include le unità il cui esito si è chiuso entro la domenica (entro la "
        "data di riferimento per l'ultima lettura) ed è indicata da quell'ultimo giorno di dati."
    ),
    "Each arm's own rate or median: {a_level} interval.": (
        "Tasso o mediana di ciascuna variante: intervallo al {a_level}."
    ),
    "Differences from {control}: {d_level} intervals — {m} arms are each compared with "
    "{control}, so each comparison uses {alpha}/{m} (Bonferroni-level simultaneous intervals) "
    "and p-values are Holm-adjusted.": (
        "Differenze da {control}: intervalli al {d_level}; {m} varianti sono confrontate "
        "ciascuna con {control}, quindi ogni confronto usa {alpha}/{m} (intervalli simultanei a "
        "livello Bonferroni) e i valori p sono corretti con il metodo di Holm."
    ),
    "Differences from {control}: false-coverage-rate intervals matching the "
    "Benjamini–Hochberg adjusted p-values ({d_level} here).": (
        "Differenze da {control}: intervalli a tasso di falsa copertura coerenti con i valori p "
        "corretti con Benjamini–Hochberg (qui al {d_level})."
    ),
    "Differences from {control}: {d_level} intervals.": (
        "Differenze da {control}: intervalli al {d_level}."
    ),
    "Differences in median days: {a_level} bootstrap intervals (not widened).": (
        "Differenze dei giorni mediani: intervalli bootstrap al {a_level} (non allargati)."
    ),
    "Guardrails: non-inferiority test per arm at a one-sided {one} bound (the {alpha} error "
    "rate split over the {m} arms compared with {control}); the guardrail holds when that bound "
    "— the harmful-side end of the {two} interval shown in the guardrail table — stays within "
    "the margin.": (
        "Metriche guardrail: test di non inferiorità per variante con un limite unilaterale al "
        "{one} (il tasso d'errore {alpha} ripartito sulle {m} varianti confrontate con "
        "{control}); la metrica è rispettata quando quel limite, cioè l'estremo sfavorevole "
        "dell'intervallo al {two} mostrato nella tabella delle metriche guardrail, resta entro "
        "il margine."
    ),
    "Guardrails: non-inferiority test per arm at a one-sided {one} bound; the guardrail holds "
    "when that bound — the harmful-side end of the {two} interval shown in the guardrail "
    "table — stays within the margin.": (
        "Metriche guardrail: test di non inferiorità per variante con un limite unilaterale al "
        "{one}; la metrica è rispettata quando quel limite, cioè l'estremo sfavorevole "
        "dell'intervallo al {two} mostrato nella tabella delle metriche guardrail, resta entro "
        "il margine."
    ),
    "chi-square": "chi quadro",
    "exact binomial": "binomiale esatto",
    "exact multinomial": "multinomiale esatto",
    "monte carlo multinomial": "multinomiale Monte Carlo",
    "Mann–Whitney": "Test di Mann–Whitney",
}
