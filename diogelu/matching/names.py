"""Welsh and English name equivalents and nicknames: a curated data table.

Each group lists forms that practitioners treat as the same given name: a Welsh form and its
English counterpart (Siôn/John, Dafydd/David, Gwilym/William), and the usual short forms and
nicknames (Dai, Bill, Beth). A name can sit in several groups (Alex is short for Alexander and
for Alexandra): its variants are the union. Spelling variants that string similarity already finds
(Bronwen/Bronwyn) may be listed too; listing them costs nothing.

Surname groups hold anglicised and Welsh patronymic forms that are the same family name
(Davies/Davis, Evans/Ifans, Rees/Rhys). Names that derive from one another but are different
surnames (Price from "ap Rhys", Powell from "ap Hywel") are deliberately *not* joined: two records
with those surnames are different families.

Changing this table changes matching: add a test in ``tests/test_names.py`` for each new group.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from diogelu.matching.diminutives import DIMINUTIVE_GROUPS
from diogelu.matching.normalise import fold

GIVEN_NAME_GROUPS_SOURCE: tuple[tuple[str, ...], ...] = (
    # Welsh forms and their English counterparts
    # Groups are not transitive: Evan and Jack are both forms of John, and also two different
    # names that brothers are given, so they sit in separate groups that share John.
    ("Siôn", "John", "Jon", "Johnny", "Jonny", "Shôn", "Ioan"),
    ("John", "Jack", "Jac", "Johnny"),
    ("Ioan", "Ieuan", "Iwan", "Ifan", "Evan"),
    ("Sean", "Shaun", "Siôn", "Shôn"),
    ("Dafydd", "David", "Dai", "Dave", "Davy", "Dewi", "Deio", "Dafy"),
    ("Rhys", "Rees", "Reece", "Reese", "Rhett"),
    ("Gwilym", "William", "Bill", "Will", "Billy", "Gwil", "Wil", "Willy", "Liam"),
    ("Elin", "Ellen", "Helen", "Eleanor", "Elen", "Nell", "Nellie", "Ellie", "Elena"),
    ("Siân", "Jane", "Jean", "Shan", "Siani"),
    ("Sioned", "Janet", "Jan", "Jeanette"),
    ("Siwan", "Joan", "Joanne", "Joanna"),
    ("Huw", "Hugh", "Hughie"),
    ("Owain", "Owen", "Owin"),
    ("Hywel", "Howell", "Howel"),
    ("Llywelyn", "Llewelyn", "Llewellyn", "Llew", "Lyn"),
    ("Gruffudd", "Gruffydd", "Griffith", "Griff", "Gruff"),
    ("Iorwerth", "Iolo", "Edward", "Ed", "Eddie", "Eddy", "Ned", "Ted", "Teddy"),
    ("Tomos", "Thomas", "Tom", "Tommy", "Twm", "Thom"),
    ("Iago", "James", "Jim", "Jimmy", "Jamie", "Jago"),
    ("Jacob", "Jake", "Iago", "Jac"),
    ("Siarl", "Charles", "Charlie", "Chas", "Charley"),
    ("Harri", "Harry", "Henry", "Hal", "Hari"),
    ("Pedr", "Peter", "Pete"),
    ("Mair", "Mary", "Mari", "Maria", "Molly", "Polly", "Mai"),
    ("Mared", "Marged", "Mererid", "Margaret", "Maggie", "Meg", "Megan", "Peggy", "Madge"),
    (
        "Catrin",
        "Catherine",
        "Katherine",
        "Kathryn",
        "Catrina",
        "Kate",
        "Katie",
        "Cath",
        "Cathy",
        "Kath",
        "Kathy",
        "Kitty",
        "Cadi",
    ),
    (
        "Elisabeth",
        "Elizabeth",
        "Beth",
        "Bethan",
        "Betsan",
        "Betty",
        "Liz",
        "Lizzie",
        "Eliza",
        "Libby",
        "Bet",
        "Lisa",
        "Elsie",
    ),
    ("Rhodri", "Roderick", "Rod", "Roddy"),
    ("Emrys", "Ambrose"),
    ("Cai", "Kai", "Kay"),
    ("Efa", "Eva", "Eve"),
    ("Ann", "Anne", "Annie", "Nan", "Nansi", "Nancy", "Ana", "Anna", "Hannah"),
    ("Iestyn", "Justin"),
    ("Tudur", "Tudor"),
    ("Gwladys", "Gladys"),
    ("Ffransis", "Francis", "Frank", "Frankie", "Fran"),
    ("Frances", "Fran", "Frankie", "Francesca"),
    ("Nest", "Nesta", "Agnes"),
    ("Awstin", "Austin", "Augustine", "Gus"),
    ("Luc", "Luke", "Lucas"),
    ("Marc", "Mark", "Marcus"),
    ("Siencyn", "Jenkin"),
    ("Ifor", "Ivor"),
    ("Alun", "Alan", "Allan", "Allen", "Al"),
    ("Mabli", "Mabel"),
    ("Lowri", "Laura", "Lori"),
    ("Elis", "Ellis", "Elias", "Eli"),
    ("Gwyn", "Gwynn", "Gwynne", "Wyn", "Wynn", "Wynne"),
    ("Morus", "Maurice", "Morris"),
    ("Myfanwy", "Myfi"),
    ("Eluned", "Luned", "Lynette"),
    ("Bronwen", "Bronwyn", "Bron"),
    ("Gwenhwyfar", "Guinevere", "Jennifer", "Jenny", "Jen", "Jenifer"),
    ("Mihangel", "Michael", "Mike", "Mick", "Micky", "Mikey"),
    ("Rhisiart", "Richard", "Rich", "Rick", "Ricky", "Dick", "Richie"),
    ("Mathau", "Matthew", "Mathew", "Matt", "Matty"),
    ("Deiniol", "Daniel", "Dan", "Danny"),
    ("Andras", "Andrew", "Andy", "Drew"),
    ("Steffan", "Stephen", "Steven", "Steve", "Stevie", "Stefan", "Stephan"),
    ("Padrig", "Patrick", "Pat", "Paddy"),
    ("Siwsan", "Susan", "Sue", "Susie", "Suzanne", "Susanna", "Suzy"),
    ("Pawl", "Paul"),
    ("Siôr", "George", "Georgie"),
    ("Ieuan", "Ewan", "Euan"),
    # English given names and their usual short forms
    ("Alexander", "Alex", "Alec", "Sandy", "Xander", "Lex"),
    ("Alexandra", "Alex", "Lexi", "Lexie", "Sasha", "Sandra"),
    ("Alys", "Alice", "Ali", "Allie"),
    ("Robert", "Rob", "Robbie", "Robby", "Bob", "Bobby"),
    ("Benjamin", "Ben", "Benji", "Benny"),
    ("Joseph", "Joe", "Joey", "Josef"),
    ("Samuel", "Sam", "Sammy"),
    ("Samantha", "Sam", "Sammie", "Sammi"),
    ("Christopher", "Chris", "Kit", "Christy"),
    ("Nicholas", "Nick", "Nicky", "Nico"),
    ("Anthony", "Antony", "Tony", "Ant"),
    ("Philip", "Phillip", "Phil", "Pip"),
    ("Timothy", "Tim", "Timmy"),
    ("Oliver", "Ollie", "Olly"),
    ("Olivia", "Liv", "Livvy", "Livia"),
    ("Frederick", "Fred", "Freddie", "Freddy"),
    ("Alfred", "Alfie", "Alf"),
    ("Archibald", "Archie"),
    ("Theodore", "Theo", "Teddy"),
    ("Isabella", "Isabel", "Isabelle", "Isobel", "Izzy", "Issy", "Bella"),
    ("Abigail", "Abbie", "Abby", "Abi"),
    ("Jessica", "Jess", "Jessie"),
    ("Rebecca", "Becky", "Becca", "Bec"),
    ("Victoria", "Vicky", "Vicki", "Tori"),
    ("Deborah", "Debbie", "Debra", "Deb"),
    ("Emily", "Emmy", "Em", "Emilia"),
    ("Amelia", "Millie", "Milly"),
    ("Charlotte", "Lottie", "Charlie", "Lotte"),
    ("Nathan", "Nathaniel", "Nat", "Nate"),
    ("Zachary", "Zac", "Zack", "Zach"),
    ("Lewis", "Louis", "Lou", "Lew"),
    ("Madog", "Madoc", "Maddox"),
    ("Sara", "Sarah", "Sally", "Sal", "Sadie"),
    ("Lucy", "Lucie", "Luci"),
    ("Daniella", "Danielle", "Dani"),
    ("Gabriel", "Gabe"),
    ("Gareth", "Gaz"),
    ("Kieran", "Ciaran", "Kieron"),
    ("Tyler", "Ty"),
    ("Callum", "Calum", "Cal"),
    ("Mohammed", "Muhammad", "Mohammad", "Mohamed", "Mo"),
    ("Dorothy", "Dot", "Dottie", "Dolly", "Dora"),
    ("Arthur", "Art", "Artie"),
    ("Albert", "Bert", "Bertie", "Al"),
    ("Herbert", "Herb", "Bert", "Bertie"),
    ("Frances", "Fanny", "Fran"),
    ("Harriet", "Hattie", "Hatty"),
    ("Henrietta", "Etta", "Hetty"),
    ("Esther", "Hester", "Hetty"),
    ("Matilda", "Tilly", "Tilda", "Maud", "Maude"),
    ("Winifred", "Winnie", "Freda"),
    ("Walter", "Wally", "Walt"),
    ("Ernest", "Ernie", "Ern"),
    ("Reginald", "Reg", "Reggie"),
    ("Percival", "Percy"),
    ("Stanley", "Stan"),
    ("Victor", "Vic"),
    ("Leonard", "Len", "Lenny", "Leo"),
    ("Raymond", "Ray"),
    ("Ronald", "Ron", "Ronnie"),
    ("Donald", "Don", "Donnie"),
    ("Douglas", "Doug", "Dougie"),
    ("Kenneth", "Ken", "Kenny"),
    ("Leslie", "Les"),
    ("Sidney", "Sydney", "Sid"),
    ("Gerald", "Gerard", "Gerry", "Jerry"),
    ("Geoffrey", "Jeffrey", "Geoff", "Jeff"),
    ("Gregory", "Greg"),
    ("Lawrence", "Laurence", "Larry", "Laurie"),
    ("Terence", "Terry"),
    ("Bartholomew", "Bart"),
    ("Barnaby", "Barney"),
    ("Abraham", "Abe", "Bram"),
    ("Isaac", "Ike", "Zac"),
    ("Solomon", "Sol"),
    ("Augustus", "Gus", "Gussie"),
    ("Ralph", "Rafe"),
    ("Oswald", "Ozzy", "Ossie"),
    ("Martha", "Mattie", "Patty"),
    ("Caroline", "Carrie", "Caro", "Carol", "Carolyn"),
    ("Louisa", "Louise", "Lou", "Lulu"),
    ("Florence", "Flo", "Florrie", "Flossie"),
    ("Evelyn", "Evie", "Eve"),
    ("Edith", "Edie"),
    ("Gertrude", "Gertie", "Gert", "Trudy"),
    ("Violet", "Vi"),
    ("Constance", "Connie"),
    ("Prudence", "Prue"),
    ("Letitia", "Lettie", "Tish"),
    ("Cecilia", "Cecily", "Cissy", "Sissy"),
    ("Josephine", "Josie", "Jo"),
    ("Georgina", "Georgie", "Gina"),
    ("Beatrice", "Bea", "Trixie"),
    ("Roberta", "Bobbie"),
    ("Theresa", "Teresa", "Tess", "Tessa", "Terri"),
    ("Patricia", "Pat", "Patsy", "Trish", "Tricia"),
    ("Margery", "Marjorie", "Madge"),
    ("Wilhelmina", "Mina", "Minnie"),
    ("Sophia", "Sophie", "Sophy"),
    ("Harold", "Harry", "Hal"),
    ("Augusta", "Gussie"),
    ("Eleanor", "Nora", "Norah"),
    ("Honora", "Nora", "Norah"),
    ("Adelaide", "Addie", "Ada"),
    ("Clarissa", "Clara", "Clare", "Claire"),
    ("Cuthbert", "Cuddy"),
    ("Hubert", "Hugh", "Bert"),
    ("Jemima", "Mima", "Jem"),
    ("Rosemary", "Rose", "Rosie"),
    ("Rosalind", "Rosalyn", "Ros", "Roz"),
    ("Penelope", "Penny"),
    ("Dominic", "Dom"),
    ("Sebastian", "Seb", "Bastian"),
    ("Maximilian", "Max"),
    ("Montague", "Monty"),
    ("Ezekiel", "Zeke"),
)

# Nicknames that are not a shortening of the name (Chuck for Charles, Hank for Henry, Bess for
# Elizabeth), as a census or survey writes them down (pseudopeople's "use nickname" noise turned
# them up: ADR 0846). Kept apart from the curated groups so that those keep their ids. Not
# taken: nicknames given mostly as names in their own right (May, Greta, Daisy, Nell); Millie,
# Tina and Jackie are taken, since a Mildred, Christina or Jacqueline is rarely a Millie's sister.
NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Charles", "Chuck"),
    ("Henry", "Hank"),
    ("Elizabeth", "Bess", "Bessie", "Betsy"),
    ("Margaret", "Peg", "Marge", "Margie"),
    ("Mildred", "Millie"),
    ("Christina", "Tina", "Chrissie"),
    ("Christine", "Tina", "Chrissie"),
    ("Cynthia", "Cindy"),
    ("Virginia", "Ginny"),
    ("Theodore", "Ted"),
    ("Edmund", "Ned", "Ted"),
    ("Jacqueline", "Jackie", "Jacqui"),
    ("Agnes", "Aggie"),
    ("Eugene", "Gene"),
    ("Barbara", "Babs"),
    ("Martha", "Patsy"),
    ("Mary", "Mamie"),
)

SURNAME_GROUPS_SOURCE: tuple[tuple[str, ...], ...] = (
    ("Jones", "Johns"),
    ("Davies", "Davis", "Davey"),
    ("Evans", "Ifans", "Evens"),
    ("Rees", "Rhys", "Reece", "Rice"),
    ("Price", "Pryce", "Prys", "Preece"),
    ("Howell", "Howells", "Hywel"),
    ("Hughes", "Huws"),
    ("Griffiths", "Griffith", "Gruffudd", "Gruffydd"),
    ("Llewellyn", "Llywelyn", "Llewelyn", "Llewellin"),
    ("Lloyd", "Llwyd"),
    ("Vaughan", "Fychan"),
    ("Parry", "Parri"),
    ("Owen", "Owens"),
    ("Thomas", "Tomos"),
    ("Phillips", "Philips", "Phillipps"),
)


def _build(source: tuple[tuple[str, ...], ...]) -> dict[str, frozenset[int]]:
    membership: dict[str, set[int]] = {}
    for group_id, group in enumerate(source):
        for name in group:
            membership.setdefault(fold(name), set()).add(group_id)
    return {name: frozenset(ids) for name, ids in membership.items()}


# English diminutives end in -y, -ie, -ey or -i, and each is spelt all four ways (Ronnie and
# Ronny, Sammy and Sammie, Jimmy and Jimmie). A short form in the table (not a group's first,
# full name) with one of these endings after a stem of three letters or more also stands for its
# other spellings, where the table does not know them as a name already (Terri is Theresa's, so
# it does not join Terry's Terence; ADR 0840).
DIMINUTIVE_ENDINGS: tuple[str, ...] = ("ie", "ey", "y", "i")


def _respellings(folded: str) -> tuple[str, ...]:
    for ending in DIMINUTIVE_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            stem = folded[: -len(ending)]
            return tuple(stem + e for e in DIMINUTIVE_ENDINGS if e != ending)
    return ()


def _given_source() -> tuple[tuple[str, ...], ...]:
    """The curated groups, then the public list's diminutives (``diminutives.py``) and the
    nicknames (appended, so the curated groups keep their ids), each with its diminutives' other
    spellings."""
    groups = GIVEN_NAME_GROUPS_SOURCE + DIMINUTIVE_GROUPS + NICKNAME_GROUPS
    known = {fold(n) for group in groups for n in group}
    out = []
    for group in groups:
        folded = [fold(n) for n in group]
        # The short forms only: a group's first name is the full name (Leslie is not Lesley).
        more = [r for n in folded[1:] for r in _respellings(n) if r not in known]
        out.append(tuple(dict.fromkeys(folded + more)))
    return tuple(out)


GIVEN_GROUPS_ALL: tuple[tuple[str, ...], ...] = _given_source()
_GIVEN_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g) for g in GIVEN_GROUPS_ALL)
_GIVEN_MEMBERSHIP = _build(GIVEN_GROUPS_ALL)
# The curated table alone: what the synthetic population is generated from (``synth``), so that
# extending the matching table does not change the population it is measured on.
_CURATED_MEMBERSHIP = _build(GIVEN_NAME_GROUPS_SOURCE)
_SURNAME_MEMBERSHIP = _build(SURNAME_GROUPS_SOURCE)
_NO_GROUPS: frozenset[int] = frozenset()


def given_name_variants(name: str) -> frozenset[str]:
    """Folded forms equivalent to ``name`` (always including its own folded form)."""
    key = fold(name)
    variants: set[str] = {key}
    for group_id in _GIVEN_MEMBERSHIP.get(key, _NO_GROUPS):
        variants |= _GIVEN_GROUPS[group_id]
    return frozenset(variants)


def given_name_groups(folded: str) -> frozenset[int]:
    """Ids of the equivalence groups a folded given name belongs to (empty if none)."""
    return _GIVEN_MEMBERSHIP.get(folded, _NO_GROUPS)


def surname_groups(folded: str) -> frozenset[int]:
    """Ids of the surname equivalence groups a folded surname belongs to (empty if none)."""
    return _SURNAME_MEMBERSHIP.get(folded, _NO_GROUPS)


def _deletions(name: str) -> set[str]:
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}


_GIVEN_BY_DELETION: dict[str, set[str]] = {}
for _name in _GIVEN_MEMBERSHIP:
    if len(_name) >= 4:
        for _key in _deletions(_name):
            _GIVEN_BY_DELETION.setdefault(_key, set()).add(_name)


@lru_cache(maxsize=65536)
def misspelt_given_name_groups(folded: str) -> frozenset[int]:
    """For a first name the table does not know, the groups of the table's names that are one
    letter away from it ("thonas" for Thomas, "feank" for Frank): a mistyped name keeps its
    variants (ADR 0800). Empty for a name in the table, and for names under four letters, where
    one letter makes another name (Ian and Ivan)."""
    if len(folded) < 4 or folded in _GIVEN_MEMBERSHIP:
        return _NO_GROUPS
    near: set[str] = set()
    for key in _deletions(folded):
        near |= _GIVEN_BY_DELETION.get(key, set())
    groups: set[int] = set()
    for name in near:
        if OSA.distance(name, folded, score_cutoff=1) <= 1:
            groups |= _GIVEN_MEMBERSHIP[name]
    return frozenset(groups)


@lru_cache(maxsize=65536)
def given_names_equivalent(a: str, b: str) -> bool:
    """True when two given names are forms of one another per the table (folded or not)."""
    fa, fb = fold(a), fold(b)
    return fa == fb or bool(given_name_groups(fa) & given_name_groups(fb))


@lru_cache(maxsize=65536)
def curated_given_names_equivalent(a: str, b: str) -> bool:
    """``given_names_equivalent`` by the curated groups alone (``GIVEN_NAME_GROUPS_SOURCE``,
    without ``diminutives.py`` and respellings): the synthetic population's parents' rule."""
    fa, fb = fold(a), fold(b)
    no: frozenset[int] = frozenset()
    return fa == fb or bool(_CURATED_MEMBERSHIP.get(fa, no) & _CURATED_MEMBERSHIP.get(fb, no))


def surnames_equivalent(a: str, b: str) -> bool:
    """True when two surnames are forms of one another per the table (folded or not)."""
    fa, fb = fold(a), fold(b)
    return fa == fb or bool(surname_groups(fa) & surname_groups(fb))
