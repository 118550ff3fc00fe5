"""Demo data: the one place for it. Later apps add their objects here.

Idempotent: running it again updates what exists and creates what is missing.
Refused when DEBUG is off, unless --force, so that demo accounts with a known
password never appear in production by accident.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from strom.models import Actor, ActorKind, ActorLevel, Country, Membership, Municipality, Role

# Demo cases: fictional people. (municipality, social worker, coordinator, days ago,
# status, person, forms of exploitation, labour sector, needs, consent recipient key or None)
CASES = [
    (
        "RIX",
        "sw.riga",
        "coord.riga",
        1,
        "potential",
        {
            "given_names": "Lan",
            "family_name": "Nguyen",
            "age_years": 16,
            "age_is_estimate": True,
            "gender": "woman",
            "citizenship": "VN",
            "languages": ["vi", "en"],
            "interpreter_needed": True,
        },
        ["forced_labour"],
        "S",
        [
            ("safe_accommodation", "immediate"),
            ("interpretation", "immediate"),
            ("medical_care", "immediate"),
        ],
        "riga-shelter",
    ),
    (
        "RIX",
        "sw.riga",
        "coord.riga",
        20,
        "presumed",
        {
            "given_names": "Oksana",
            "family_name": "K.",
            "age_years": 24,
            "gender": "woman",
            "citizenship": "UA",
            "languages": ["uk", "ru"],
        },
        ["sexual_prostitution"],
        "",
        [("psychological_support", "days"), ("legal", "planned")],
        "riga-legal",
    ),
    (
        "RIX",
        "sw.riga",
        "coord.riga",
        75,
        "identified",
        {
            "age_years": 31,
            "gender": "man",
            "citizenship": "UZ",
            "languages": ["uz", "ru"],
            "interpreter_needed": True,
        },
        ["forced_labour"],
        "F",
        [("employment", "planned"), ("authorities_documents", "days")],
        None,
    ),
    (
        "RIX",
        "sw.riga",
        "coord.riga",
        40,
        "not_victim",
        {"age_years": 45, "gender": "man", "citizenship": "LV", "languages": ["lv"]},
        ["other"],
        "",
        [("social_assistance", "planned")],
        None,
    ),
    (
        "JEL",
        "sw.jelgava",
        "coord.jelgava",
        3,
        "potential",
        {"age_years": 19, "gender": "woman", "citizenship": "LV", "languages": ["lv", "ru"]},
        ["forced_marriage"],
        "",
        [("safety", "immediate"), ("safe_accommodation", "immediate")],
        "jelgava-police",
    ),
    (
        "JEL",
        "sw.jelgava",
        "coord.jelgava",
        30,
        "presumed",
        {
            "age_years": 15,
            "gender": "man",
            "citizenship": "LV",
            "languages": ["lv"],
            "may_be_child": True,
        },
        ["criminal_activities"],
        "",
        [("family_child", "immediate"), ("education", "planned")],
        None,
    ),
    (
        "TLL",
        "sw.tallinn",
        "coord.tallinn",
        5,
        "potential",
        {"age_years": 27, "gender": "woman", "citizenship": "PH", "languages": ["tl", "en"]},
        ["forced_labour"],
        "T",
        [("safe_accommodation", "immediate"), ("legal", "days")],
        "tallinn-ngo",
    ),
    (
        "TLL",
        "sw.tallinn",
        "coord.tallinn",
        60,
        "identified",
        {"age_years": 22, "gender": "woman", "citizenship": "EE", "languages": ["et", "ru"]},
        ["sexual_remote"],
        "",
        [("psychological_support", "days")],
        "tallinn-ngo",
    ),
    (
        "TLL",
        "sw.tallinn",
        "coord.tallinn",
        15,
        "presumed",
        {"age_years": 38, "gender": "man", "citizenship": "MD", "languages": ["ro", "ru"]},
        ["forced_labour"],
        "A",
        [("material_support", "days"), ("return_reintegration", "planned")],
        None,
    ),
    (
        "VNO",
        "sw.vilnius",
        "coord.vilnius",
        2,
        "potential",
        {
            "age_years": 17,
            "age_is_estimate": True,
            "gender": "transgender",
            "citizenship": "LT",
            "languages": ["lt"],
        },
        ["sexual_private"],
        "",
        [("safe_accommodation", "immediate"), ("medical_care", "days")],
        "vilnius-ngo",
    ),
    (
        "VNO",
        "sw.vilnius",
        "coord.vilnius",
        90,
        "identified",
        {"age_years": 29, "gender": "man", "citizenship": "BY", "languages": ["be", "ru"]},
        ["forced_begging"],
        "",
        [("authorities_documents", "days"), ("employment", "planned")],
        None,
    ),
    (
        "VNO",
        "sw.vilnius",
        "coord.vilnius",
        45,
        "not_victim",
        {"age_years": 52, "gender": "woman", "citizenship": "LT", "languages": ["lt", "ru"]},
        ["other"],
        "",
        [("social_assistance", "planned")],
        None,
    ),
]
DECIDING_ACTORS = {
    "RIX": "riga-police",
    "JEL": "jelgava-police",
    "TLL": "tallinn-police",
    "VNO": "vilnius-social",
}

COUNTRIES = [
    # code, name, reflection period (days), languages
    ("LV", "Latvia", 30, ["lv", "ru", "en"]),
    ("EE", "Estonia", 30, ["et", "ru", "en"]),
    ("LT", "Lithuania", 30, ["lt", "ru", "en"]),
]

MUNICIPALITIES = [
    # code, name, country
    ("RIX", "Riga", "LV"),
    ("JEL", "Jelgava", "LV"),
    ("TLL", "Tallinn", "EE"),
    ("VNO", "Vilnius", "LT"),
]

K = ActorKind
# key, name, kind, level, municipality code (or None), country, phone, e-mail
ACTORS = [
    (
        "riga-social",
        "Riga Social Service",
        K.SOCIAL_SERVICE,
        "RIX",
        "LV",
        "+371 6710 5000",
        "socialais.dienests@riga.example",
    ),
    (
        "riga-child",
        "Riga Orphan's and Custody Court",
        K.CHILD_PROTECTION,
        "RIX",
        "LV",
        "+371 6703 7888",
        "bvt@riga.example",
    ),
    (
        "riga-police",
        "State Police Riga Regional Unit",
        K.POLICE,
        "RIX",
        "LV",
        "+371 6707 5212",
        "riga@police.example",
    ),
    (
        "riga-shelter",
        'Shelter "Safe House" (NGO)',
        K.SHELTER,
        "RIX",
        "LV",
        "+371 2761 1911",
        "info@safehouse.example",
    ),
    (
        "riga-clinic",
        "Riga East Clinical University Hospital",
        K.HEALTH_CARE,
        "RIX",
        "LV",
        "+371 6704 2700",
        "info@aslimnica.example",
    ),
    (
        "riga-legal",
        "Riga Legal Aid Office",
        K.LEGAL_AID,
        "RIX",
        "LV",
        "+371 6751 4201",
        "legal@riga.example",
    ),
    (
        "jelgava-social",
        "Jelgava Social Affairs Office",
        K.SOCIAL_SERVICE,
        "JEL",
        "LV",
        "+371 6300 5555",
        "soc@jelgava.example",
    ),
    (
        "jelgava-police",
        "State Police Zemgale Unit, Jelgava",
        K.POLICE,
        "JEL",
        "LV",
        "+371 6302 7000",
        "zemgale@police.example",
    ),
    (
        "jelgava-employment",
        "State Employment Agency, Jelgava branch",
        K.EMPLOYMENT_OFFICE,
        "JEL",
        "LV",
        "+371 6302 2010",
        "jelgava@nva.example",
    ),
    (
        "tallinn-social",
        "Tallinn Social Welfare and Health Care Department",
        K.SOCIAL_SERVICE,
        "TLL",
        "EE",
        "+372 645 7400",
        "sotsiaal@tallinn.example",
    ),
    (
        "tallinn-ngo",
        "Living for Tomorrow (NGO)",
        K.NGO,
        "TLL",
        "EE",
        "+372 660 7320",
        "info@lft.example",
    ),
    (
        "tallinn-police",
        "North Prefecture, Police and Border Guard",
        K.POLICE,
        "TLL",
        "EE",
        "+372 612 3000",
        "pohja@politsei.example",
    ),
    (
        "vilnius-social",
        "Vilnius City Social Support Centre",
        K.SOCIAL_SERVICE,
        "VNO",
        "LT",
        "+370 5 275 7575",
        "info@vsspc.example",
    ),
    (
        "vilnius-ngo",
        "Caritas Lithuania, Victim Support (NGO)",
        K.NGO,
        "VNO",
        "LT",
        "+370 5 212 1155",
        "caritas@vilnius.example",
    ),
    (
        "vilnius-health",
        "Vilnius City Clinical Hospital",
        K.HEALTH_CARE,
        "VNO",
        "LT",
        "+370 5 216 9140",
        "info@vmkl.example",
    ),
    # Regional and national actors: no municipality.
    (
        "lv-national",
        "Ministry of the Interior, National Anti-Trafficking Coordinator",
        K.NATIONAL_COORDINATOR_OFFICE,
        None,
        "LV",
        "+371 6721 9263",
        "thb@iem.example",
    ),
    (
        "lv-migration",
        "Office of Citizenship and Migration Affairs",
        K.MIGRATION_AUTHORITY,
        None,
        "LV",
        "+371 6721 9181",
        "pmlp@pmlp.example",
    ),
    (
        "lv-labour",
        "State Labour Inspectorate",
        K.LABOUR_INSPECTORATE,
        None,
        "LV",
        "+371 6718 6522",
        "vdi@vdi.example",
    ),
    (
        "ee-national",
        "Ministry of Justice, Anti-Trafficking Coordination",
        K.NATIONAL_COORDINATOR_OFFICE,
        None,
        "EE",
        "+372 620 8100",
        "thb@just.example",
    ),
]

# user name, first name, last name, actor key, role
USERS = [
    ("sw.riga", "Ilze", "Bērziņa", "riga-social", Role.SOCIAL_WORKER),
    ("coord.riga", "Anna", "Kalniņa", "riga-social", Role.COORDINATOR),
    ("admin.riga", "Jānis", "Ozols", "riga-social", Role.ADMINISTRATOR),
    ("provider.riga", "Līga", "Liepa", "riga-shelter", Role.SERVICE_PROVIDER),
    ("sw.jelgava", "Inese", "Zariņa", "jelgava-social", Role.SOCIAL_WORKER),
    ("coord.jelgava", "Māris", "Krūmiņš", "jelgava-social", Role.COORDINATOR),
    ("admin.jelgava", "Dace", "Vītola", "jelgava-social", Role.ADMINISTRATOR),
    ("sw.tallinn", "Kadri", "Tamm", "tallinn-social", Role.SOCIAL_WORKER),
    ("coord.tallinn", "Mari", "Saar", "tallinn-social", Role.COORDINATOR),
    ("admin.tallinn", "Toomas", "Kask", "tallinn-social", Role.ADMINISTRATOR),
    ("provider.tallinn", "Liis", "Mets", "tallinn-ngo", Role.SERVICE_PROVIDER),
    ("sw.vilnius", "Rūta", "Kazlauskienė", "vilnius-social", Role.SOCIAL_WORKER),
    ("coord.vilnius", "Tomas", "Petrauskas", "vilnius-social", Role.COORDINATOR),
    ("national.lv", "Laura", "Ābele", "lv-national", Role.NATIONAL_COORDINATOR),
    ("national.ee", "Kristjan", "Lepik", "ee-national", Role.NATIONAL_COORDINATOR),
]


class Command(BaseCommand):
    help = "Load STROM's demo data (countries, municipalities, actors, demo users). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DJANGO_DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DJANGO_DEBUG off. "
                "Use --force only on a test or training installation."
            )
        with transaction.atomic():
            self.load_core()
            cases = self.load_cases()
        self.stdout.write(f"Demo cases (fictional people): {cases} added.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/"))
        self.stdout.write(
            f"Users ({len(USERS)}), all with the password from STROM_DEMO_PASSWORD "
            f"(default 'strom-demo'):"
        )
        for username, _first, _last, _actor, role in USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label}")

    def load_cases(self):
        """A dozen cases in every identification status, through the same actions staff use,
        so that their history, grants and audit entries are real. Skipped for a
        municipality whose demo worker already has cases."""
        from datetime import timedelta

        from django.utils import timezone

        from cases import actions as case_actions
        from cases.choices import Identification
        from cases.models import Case, Consent, Exploitation, Person

        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=[r[0] for r in USERS])}
        actors = {key: Actor.objects.get(name=name) for key, name, *_rest in ACTORS}
        today = timezone.localdate()
        seeded = {
            code
            for code, worker, *_rest in CASES
            if Case.objects.filter(municipality__code=code, created_by=users[worker]).exists()
        }
        created = 0
        for (
            code,
            worker,
            coordinator,
            days_ago,
            status,
            person,
            forms,
            sector,
            needs,
            consent_to,
        ) in CASES:
            if code in seeded:
                continue
            municipality = Municipality.objects.get(code=code)
            met_on = today - timedelta(days=days_ago)
            case = case_actions.open_case(
                by=users[worker],
                municipality=municipality,
                first_contact_on=met_on,
                person=Person(**person),
                exploitation=Exploitation(labour_sector=sector),
                forms=forms,
                needs=needs,
            )
            created += 1
            if status != Identification.POTENTIAL:
                case_actions.change_identification(
                    by=users[coordinator],
                    case=case,
                    status=Identification.PRESUMED if status != "not_victim" else status,
                    decided_on=met_on + timedelta(days=1),
                    deciding_actor=actors[DECIDING_ACTORS[code]],
                    note="Reasonable grounds: indicators confirmed in the first interview.",
                )
            if status == Identification.IDENTIFIED:
                case_actions.change_identification(
                    by=users[coordinator],
                    case=case,
                    status=status,
                    decided_on=met_on + timedelta(days=10),
                    deciding_actor=actors[DECIDING_ACTORS[code]],
                )
            if consent_to:
                case_actions.record_consent(
                    by=users[worker],
                    case=case,
                    consent=Consent(
                        recipient=actors[consent_to],
                        items=["identity", "needs"],
                        purpose="Safe accommodation and support",
                        given_how="verbal_witness",
                        interpreter_used=bool(person.get("interpreter_needed")),
                        given_on=met_on,
                        expires_on=met_on + timedelta(days=30),
                        guardian_consent=case.person.is_treated_as_child(),
                        child_assent=case.person.is_treated_as_child(),
                    ),
                )
        return created

    def load_core(self):
        countries = {}
        for code, name, period, languages in COUNTRIES:
            countries[code], _ = Country.objects.update_or_create(
                code=code,
                defaults={"name": name, "reflection_period_days": period, "languages": languages},
            )
        municipalities = {}
        for code, name, country in MUNICIPALITIES:
            municipalities[code], _ = Municipality.objects.update_or_create(
                code=code, defaults={"name": name, "country": countries[country]}
            )
        actors = {}
        for key, name, kind, municipality, country, phone, email in ACTORS:
            actor = Actor.objects.filter(name=name, country=countries[country]).first() or Actor(
                name=name, country=countries[country]
            )
            actor.kind = kind
            actor.level = ActorLevel.LOCAL if municipality else ActorLevel.NATIONAL
            actor.municipality = municipalities.get(municipality)
            actor.phone = phone
            actor.email = email
            actor.full_clean()
            actor.save()
            actors[key] = actor

        User = get_user_model()
        password = settings.STROM_DEMO_PASSWORD
        for username, first, last, actor_key, role in USERS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@strom.example"
            user.is_active = True
            user.set_password(password)
            user.save()
            actor = actors[actor_key]
            membership = Membership.objects.filter(
                user=user, actor=actor, role=role, ended_at__isnull=True
            ).first()
            if membership is None:
                membership = Membership(user=user, actor=actor, role=role)
                membership.full_clean()
                membership.save()
            actor.group.user_set.add(user)
