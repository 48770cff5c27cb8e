# ruff: noqa: E501 - bilingual form text reads better unbroken
"""The standard case-file audit form (version 1), in English and Welsh.

Eight sections, each graded on the four-point scale of the inspection judgements with a
descriptor per grade (after Lancashire's toolkits, OVERSIGHT.md §3), and the facts from the
record shown beside each (keys of :mod:`diogelu.audit.facts`). Stored as data: a programme
uses a stored form version, so changing this text makes a new version, never a changed one.
"""

from __future__ import annotations

from typing import Any

STANDARD_KEY = "standard"
STANDARD_TITLE = ("Standard case-file audit", "Archwiliad ffeil achos safonol")


def _d(
    o: tuple[str, str], g: tuple[str, str], r: tuple[str, str], i: tuple[str, str]
) -> dict[str, Any]:
    return {
        "OUTSTANDING": {"en": o[0], "cy": o[1]},
        "GOOD": {"en": g[0], "cy": g[1]},
        "REQUIRES_IMPROVEMENT": {"en": r[0], "cy": r[1]},
        "INADEQUATE": {"en": i[0], "cy": i[1]},
    }


SECTIONS: list[dict[str, Any]] = [
    {
        "key": "voice",
        "title": ("The child's voice and lived experience", "Llais a phrofiad bywyd y plentyn"),
        "facts": ["visits", "child_words"],
        "descriptors": _d(
            (
                "The child is seen, often alone; their words shape every decision and the plan.",
                "Gwelir y plentyn, yn aml ar ei ben ei hun; mae ei eiriau'n llywio pob penderfyniad a'r cynllun.",
            ),
            (
                "The child is seen alone and their views are recorded and considered.",
                "Gwelir y plentyn ar ei ben ei hun a chofnodir ac ystyrir ei farn.",
            ),
            (
                "The child is seen but rarely alone; their views are recorded but not used.",
                "Gwelir y plentyn ond anaml ar ei ben ei hun; cofnodir ei farn ond nis defnyddir.",
            ),
            (
                "The child is not seen or heard; the file does not show their daily life.",
                "Ni welir na chlywir y plentyn; nid yw'r ffeil yn dangos ei fywyd bob dydd.",
            ),
        ),
        "questions": [
            (
                "Was the child seen, and seen alone, as often as the plan requires?",
                "A welwyd y plentyn, ac ar ei ben ei hun, mor aml ag y mae'r cynllun yn ei ofyn?",
            ),
            (
                "Are the child's own words recorded, and do they change what is done?",
                "A gofnodir geiriau'r plentyn ei hun, ac a ydynt yn newid yr hyn a wneir?",
            ),
        ],
    },
    {
        "key": "risk",
        "title": ("Assessment and analysis of risk", "Asesu a dadansoddi risg"),
        "facts": ["timeliness"],
        "descriptors": _d(
            (
                "Risk and protective factors are analysed, with history, and drive clear decisions.",
                "Dadansoddir ffactorau risg ac amddiffyn, gyda'r hanes, ac maent yn arwain penderfyniadau clir.",
            ),
            (
                "The assessment is current and analyses risk, not only describes it.",
                "Mae'r asesiad yn gyfredol ac yn dadansoddi risg, nid dim ond ei disgrifio.",
            ),
            (
                "The assessment describes events but weak analysis leaves risk unclear.",
                "Mae'r asesiad yn disgrifio digwyddiadau ond mae dadansoddi gwan yn gadael risg yn aneglur.",
            ),
            (
                "There is no current assessment, or risk to the child is missed.",
                "Nid oes asesiad cyfredol, neu methwyd y risg i'r plentyn.",
            ),
        ),
        "questions": [
            (
                "Is there a current assessment that analyses risk and strengths?",
                "A oes asesiad cyfredol sy'n dadansoddi risg a chryfderau?",
            ),
            (
                "Does the history (chronology) inform the analysis?",
                "A yw'r hanes (cronoleg) yn llywio'r dadansoddiad?",
            ),
        ],
    },
    {
        "key": "plan",
        "title": (
            "The plan: SMART outcomes, contingency, the family understanding it",
            "Y cynllun: canlyniadau CAMPUS, cynllun wrth gefn, y teulu'n ei ddeall",
        ),
        "facts": ["plan_quality"],
        "descriptors": _d(
            (
                "Outcomes are specific and measured; the contingency is real; the family can say what it means.",
                "Mae'r canlyniadau'n benodol ac yn cael eu mesur; mae'r cynllun wrth gefn yn real; gall y teulu ddweud beth mae'n ei olygu.",
            ),
            (
                "Outcomes are SMART, there is a contingency, and the family has the plan.",
                "Mae'r canlyniadau'n CAMPUS, mae cynllun wrth gefn, ac mae gan y teulu'r cynllun.",
            ),
            (
                "Some outcomes are vague or undated; the contingency is thin.",
                "Mae rhai canlyniadau'n amwys neu heb ddyddiad; mae'r cynllun wrth gefn yn denau.",
            ),
            (
                "There is no plan, or it would not keep the child safe.",
                "Nid oes cynllun, neu ni fyddai'n cadw'r plentyn yn ddiogel.",
            ),
        ),
        "questions": [
            ("Are the plan's outcomes SMART?", "A yw canlyniadau'r cynllun yn CAMPUS?"),
            (
                "Is there a contingency, and does the family understand the plan?",
                "A oes cynllun wrth gefn, ac a yw'r teulu'n deall y cynllun?",
            ),
        ],
    },
    {
        "key": "multi_agency",
        "title": (
            "Multi-agency work and information sharing",
            "Gwaith amlasiantaethol a rhannu gwybodaeth",
        ),
        "facts": ["agencies"],
        "descriptors": _d(
            (
                "Agencies share promptly and act together; each knows the outcome of what it shared.",
                "Mae asiantaethau'n rhannu'n brydlon ac yn gweithredu gyda'i gilydd; mae pob un yn gwybod canlyniad yr hyn a rannodd.",
            ),
            (
                "The right agencies are involved and outcomes are shared and acknowledged.",
                "Mae'r asiantaethau cywir yn ymwneud ac mae canlyniadau'n cael eu rhannu a'u cydnabod.",
            ),
            (
                "Agencies are involved but information is late or not closed off.",
                "Mae asiantaethau'n ymwneud ond mae gwybodaeth yn hwyr neu heb ei chau.",
            ),
            (
                "Agencies who hold information are not involved or not told.",
                "Nid yw asiantaethau sy'n dal gwybodaeth yn ymwneud nac yn cael gwybod.",
            ),
        ),
        "questions": [
            (
                "Were the agencies who know the child involved, and told the outcome?",
                "A oedd yr asiantaethau sy'n adnabod y plentyn yn ymwneud, ac a gawsant wybod y canlyniad?",
            ),
        ],
    },
    {
        "key": "oversight",
        "title": (
            "Management oversight and supervision",
            "Goruchwyliaeth reoli a goruchwylio",
        ),
        "facts": ["supervision", "changes_of_worker"],
        "descriptors": _d(
            (
                "Regular supervision sets clear actions, and the record shows them done.",
                "Mae goruchwylio rheolaidd yn gosod camau clir, ac mae'r cofnod yn dangos eu bod wedi'u gwneud.",
            ),
            (
                "Supervision is regular and recorded on the child's file with actions.",
                "Mae goruchwylio'n rheolaidd ac wedi'i gofnodi ar ffeil y plentyn gyda chamau.",
            ),
            (
                "Supervision is irregular or its actions are not followed up.",
                "Mae goruchwylio'n afreolaidd neu ni ddilynir ei gamau.",
            ),
            (
                "There is no evidence of management oversight of the child's case.",
                "Nid oes tystiolaeth o oruchwyliaeth reoli o achos y plentyn.",
            ),
        ),
        "questions": [
            (
                "Is supervision recorded on the child's file, with actions that were done?",
                "A gofnodir goruchwylio ar ffeil y plentyn, gyda chamau a wnaed?",
            ),
        ],
    },
    {
        "key": "timeliness",
        "title": ("Timeliness and drift", "Amseroldeb a llithro"),
        "facts": ["timeliness", "changes_of_worker"],
        "descriptors": _d(
            (
                "Every step is on time and the plan progresses without drift.",
                "Mae pob cam ar amser ac mae'r cynllun yn symud ymlaen heb lithro.",
            ),
            (
                "Steps are mostly on time; any delay is explained and recovered.",
                "Mae camau ar amser gan amlaf; eglurir unrhyw oedi ac fe'i hadferir.",
            ),
            (
                "Several steps are late, or the plan has drifted.",
                "Mae sawl cam yn hwyr, neu mae'r cynllun wedi llithro.",
            ),
            (
                "Delay has left the child at risk.",
                "Mae oedi wedi gadael y plentyn mewn perygl.",
            ),
        ),
        "questions": [
            (
                "Was each step done within its timescale? If not, why?",
                "A wnaed pob cam o fewn ei amserlen? Os na, pam?",
            ),
        ],
    },
    {
        "key": "recording",
        "title": ("Recording", "Cofnodi"),
        "facts": ["child_words"],
        "descriptors": _d(
            (
                "Records are up to date, analytical, and written for the child to read.",
                "Mae'r cofnodion yn gyfredol, yn ddadansoddol, ac wedi'u hysgrifennu i'r plentyn eu darllen.",
            ),
            (
                "Records are up to date and clear.",
                "Mae'r cofnodion yn gyfredol ac yn glir.",
            ),
            (
                "Records are late or hard to follow.",
                "Mae'r cofnodion yn hwyr neu'n anodd eu dilyn.",
            ),
            (
                "Key events or decisions are missing from the record.",
                "Mae digwyddiadau neu benderfyniadau allweddol ar goll o'r cofnod.",
            ),
        ),
        "questions": [
            (
                "Are records up to date and would the child understand them?",
                "A yw'r cofnodion yn gyfredol ac a fyddai'r plentyn yn eu deall?",
            ),
        ],
    },
    {
        "key": "impact",
        "title": ("Impact on the child", "Effaith ar y plentyn"),
        "facts": [],
        "descriptors": _d(
            (
                "The child is safer and their life is better because of the work.",
                "Mae'r plentyn yn fwy diogel ac mae ei fywyd yn well oherwydd y gwaith.",
            ),
            (
                "There is clear progress for the child.",
                "Mae cynnydd clir i'r plentyn.",
            ),
            (
                "Little has changed for the child.",
                "Ychydig sydd wedi newid i'r plentyn.",
            ),
            (
                "The child is no safer, or is less safe.",
                "Nid yw'r plentyn yn fwy diogel, neu mae'n llai diogel.",
            ),
        ),
        "questions": [
            (
                "What difference has the work made to the child?",
                "Pa wahaniaeth y mae'r gwaith wedi'i wneud i'r plentyn?",
            ),
        ],
    },
]

#: A themed programme adds these questions to the section its theme is about.
THEME_QUESTIONS: dict[str, tuple[str, tuple[str, str]]] = {
    "VOICE": (
        "voice",
        (
            "Where in the record are the child's words, and who recorded them?",
            "Ble yn y cofnod mae geiriau'r plentyn, a phwy a'u cofnododd?",
        ),
    ),
    "PLAN_QUALITY": (
        "plan",
        (
            "Did the plan's quality improve from one version to the next?",
            "A wellodd ansawdd y cynllun o un fersiwn i'r nesaf?",
        ),
    ),
    "EXPLOITATION": (
        "risk",
        (
            "Were signs of exploitation (missing, older associates, places) recognised and acted on?",
            "A adnabuwyd arwyddion camfanteisio (mynd ar goll, cyfeillion hŷn, lleoedd) ac a weithredwyd arnynt?",
        ),
    ),
    "STEP_DOWN": (
        "impact",
        (
            "Was the step-down planned with the family and the agencies staying involved?",
            "A gynlluniwyd y camu i lawr gyda'r teulu a'r asiantaethau sy'n aros yn rhan?",
        ),
    ),
    "CLOSURE": (
        "impact",
        (
            "Was closure safe: were the reasons for involvement resolved and the family told?",
            "A oedd cau'n ddiogel: a ddatryswyd y rhesymau dros ymwneud ac a ddywedwyd wrth y teulu?",
        ),
    ),
}
