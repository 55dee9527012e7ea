"""Italian catalog of the experiment report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the experiment report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = False

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
    "Against {control} ({value}): {parts}.": "Rispetto a {control} ({value}): {parts}.",
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
    "{n} arms; {excluded} excluded (in two arms)": (
        "{n} varianti; {excluded} esclusi (in due varianti)"
    ),
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
        "Non mostrato: in almeno una variante meno della metà dei {units} ha raggiunto {event}, "
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
        "Non mostrato: non è stata richiesta alcuna metrica di tempo all'evento."
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
        "Non mostrato: non è stata richiesta alcuna metrica di conteggio o di valore."
    ),
    "Guardrails": "Metriche guardrail",
    "Each guardrail must not get worse by more than its allowed change.": (
        "Ogni metrica guardrail non deve peggiorare oltre la variazione consentita."
    ),
    "Not shown: no guardrail metric was set.": (
        "Non mostrato: non è stata impostata alcuna metrica guardrail."
    ),
    "What this test could have detected": "Cosa poteva rilevare questo esperimento",
    "Monitoring while the test ran": "Monitoraggio durante l'esperimento",
    "Always-valid (sequential) read-out of the primary metric, recomputed every week as "
    "outcomes became known.": (
        "Lettura sempre valida (sequenziale) della metrica principale, ricalcolata ogni "
        "settimana man mano che gli esiti diventavano noti."
    ),
    "Not shown: sequential (always-valid) monitoring was not requested; set `sequential: true` "
    "with the test's plan to add it.": (
        "Non mostrato: il monitoraggio sequenziale (sempre valido) non è stato richiesto; per "
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
}
