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
from strom.twofactor import demo_totp_key_base32, enrol_demo_second_factor

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
# Services: (actor key, name, need categories, languages, "24/7" or "office", fields).
DEMO_SERVICES = [
    (
        "riga-shelter",
        "Safe House shelter for women and children",
        ["safe_accommodation", "psychological_support", "family_child", "safety"],
        ["lv", "ru", "en"],
        "24/7",
        {
            "open_24_7": True,
            "accepts_men": False,
            "capacity_available": 3,
            "capacity_maximum": 12,
            "capacity_unit": "beds",
            "address": "(confidential) Riga",
            "latitude": "56.9496",
            "longitude": "24.1052",
            "address_confidential": True,
            "fees_description": "Free",
            "emergency_phone": "+371 2761 1911",
            "emergency_contact": "Duty social worker",
            "deputy_contact": "Shelter manager",
            "deputy_phone": "+371 2761 1912",
            "description": "Crisis accommodation for women and their children, day and night.",
        },
    ),
    (
        "riga-clinic",
        "Medical check and treatment for victims of trafficking",
        ["medical_care"],
        ["lv", "ru", "en"],
        "office",
        {
            "capacity_available": 10,
            "capacity_maximum": 20,
            "capacity_unit": "appointments",
            "address": "Hipokrāta iela 2, Rīga",
            "latitude": "56.9695",
            "longitude": "24.1632",
            "fees_description": "Free with a social service referral",
        },
    ),
    (
        "riga-legal",
        "Free legal counselling",
        ["legal", "authorities_documents"],
        ["lv", "ru", "en"],
        "office",
        {
            "capacity_available": 6,
            "capacity_maximum": 10,
            "capacity_unit": "appointments",
            "address": "Brīvības iela 49, Rīga",
            "latitude": "56.9571",
            "longitude": "24.1190",
            "fees_description": "Free",
        },
    ),
    (
        "riga-interpreters",
        "Interpreting for social and health services",
        ["interpretation"],
        ["vi", "uk", "ru", "en", "uz", "tl"],
        "office",
        {
            "address": "Elizabetes iela 10, Rīga",
            "latitude": "56.9550",
            "longitude": "24.1140",
            "fees_description": "Paid by the municipality",
        },
    ),
    (
        "riga-social",
        "Employment and reintegration programme",
        ["employment", "education"],
        ["lv", "ru"],
        "office",
        {
            "required_status": "presumed",
            "minimum_age": 18,
            "capacity_available": 4,
            "capacity_maximum": 15,
            "capacity_unit": "places",
            "address": "Baznīcas iela 19, Rīga",
            "latitude": "56.9560",
            "longitude": "24.1230",
        },
    ),
    (
        "riga-church",
        "Hostel beds for men",
        ["safe_accommodation"],
        ["lv", "ru"],
        "24/7",
        {
            "provision": "could_provide",
            "accepts_women": False,
            "open_24_7": True,
            "minimum_age": 18,
            "capacity_maximum": 6,
            "capacity_unit": "beds",
            "address": "Ģertrūdes iela 8, Rīga",
            "latitude": "56.9580",
            "longitude": "24.1260",
            "description": "The parish could open six beds for men if the municipality asks.",
        },
    ),
    (
        "jelgava-social",
        "Social assistance and case management",
        ["social_assistance"],
        ["lv", "ru"],
        "office",
        {"address": "Pasta iela 32, Jelgava", "latitude": "56.6500", "longitude": "23.7280"},
    ),
    (
        "jelgava-police",
        "Risk assessment and protection",
        ["safety"],
        ["lv", "ru"],
        "24/7",
        {
            "open_24_7": True,
            "address": "Bauskas iela 4, Jelgava",
            "latitude": "56.6470",
            "longitude": "23.7300",
        },
    ),
    (
        "jelgava-employment",
        "Job search support",
        ["employment"],
        ["lv"],
        "office",
        {
            "required_status": "identified",
            "minimum_age": 18,
            "address": "Katoļu iela 7, Jelgava",
            "latitude": "56.6510",
            "longitude": "23.7210",
        },
    ),
    (
        "lv-migration",
        "Residence permits for victims of trafficking",
        ["authorities_documents"],
        ["lv", "ru", "en"],
        "office",
        {
            "required_status": "presumed",
            "address": "Čiekurkalna 1. līnija 1, Rīga",
            "latitude": "56.9800",
            "longitude": "24.1650",
        },
    ),
    (
        "tallinn-ngo",
        "Counselling and shelter (Living for Tomorrow)",
        ["safe_accommodation", "psychological_support", "legal"],
        ["et", "ru", "en"],
        "24/7",
        {
            "open_24_7": True,
            "capacity_available": 0,
            "capacity_maximum": 8,
            "capacity_unit": "beds",
            "address": "(confidential) Tallinn",
            "latitude": "59.4370",
            "longitude": "24.7536",
            "address_confidential": True,
        },
    ),
    (
        "tallinn-social",
        "Social welfare counselling",
        ["social_assistance", "material_support"],
        ["et", "ru"],
        "office",
        {"address": "Mündi 2, Tallinn", "latitude": "59.4371", "longitude": "24.7450"},
    ),
    (
        "vilnius-ngo",
        "Caritas shelter and psychological support",
        ["safe_accommodation", "psychological_support"],
        ["lt", "ru", "pl"],
        "24/7",
        {
            "open_24_7": True,
            "capacity_available": 2,
            "capacity_maximum": 10,
            "capacity_unit": "beds",
            "address": "(confidential) Vilnius",
            "latitude": "54.6872",
            "longitude": "25.2797",
            "address_confidential": True,
        },
    ),
    (
        "vilnius-health",
        "Medical care",
        ["medical_care"],
        ["lt", "ru"],
        "office",
        {"address": "Antakalnio g. 57, Vilnius", "latitude": "54.6980", "longitude": "25.3120"},
    ),
]
# Latvia's national pathway: (step, responsible kind, need, answer limit, unit, complete
# within, unit).
NATIONAL_STEPS = [
    (
        "First contact and referral to the municipal contact point",
        "social_service",
        "social_assistance",
        24,
        "hours",
        None,
        None,
    ),
    ("Safety and accommodation", "shelter", "safe_accommodation", 24, "hours", 1, "working_days"),
    ("Medical check", "health_care", "medical_care", 72, "hours", 5, "working_days"),
    ("Reasonable-grounds assessment", "social_service", "safety", 5, "working_days", None, None),
    (
        "Needs assessment and assistance plan",
        "social_service",
        "social_assistance",
        5,
        "working_days",
        10,
        "working_days",
    ),
    ("Formal identification", "police", "legal", 10, "working_days", None, None),
    (
        "Long-term assistance (legal, employment, education)",
        "legal_aid",
        "legal",
        10,
        "working_days",
        None,
        None,
    ),
    (
        "Closure and follow-up",
        "social_service",
        "social_assistance",
        10,
        "working_days",
        None,
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
        "riga-church",
        "St. Gertrude Parish Hostel",
        K.NGO,
        "RIX",
        "LV",
        "+371 6727 0001",
        "hostel@gertrude.example",
    ),
    (
        "riga-interpreters",
        "Riga Interpreters' Bureau",
        K.OTHER,
        "RIX",
        "LV",
        "+371 6728 2020",
        "office@interpreters.example",
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
            services = self.load_services()
            cases = self.load_cases()
            referrals = self.load_referrals()
            agreements = self.load_agreements()
            trainings = self.load_training()
        self.stdout.write(f"Demo services: {services} added.")
        self.stdout.write(f"Demo cases (fictional people): {cases} added.")
        self.stdout.write(
            f"Demo referrals: {referrals} added (one overdue: the escalation "
            "shows within a minute of `make run`)."
        )
        self.stdout.write(f"Demo agreements: {agreements} added.")
        self.stdout.write(f"Demo trainings: {trainings} added.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/"))
        self.stdout.write(
            f"Users ({len(USERS)}), all with the password from STROM_DEMO_PASSWORD "
            f"(default 'strom-demo'):"
        )
        for username, _first, _last, _actor, role in USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label}")
        self.stdout.write(
            "Second factor: every demo user but the national coordinators has the same "
            "authenticator key, "
            f"{demo_totp_key_base32()}. Add it to an authenticator app, or run "
            "`make demo-code` for the current code."
        )

    def load_services(self):
        """Services in every demo municipality, with deliberate gaps: Jelgava has no shelter,
        clinic or legal aid; Riga's only men's accommodation is a 'could provide'."""
        from datetime import time

        from django.utils import timezone

        from services.models import OpeningHours, Service, ServiceCategory, ServiceLanguage

        actors = {key: Actor.objects.get(name=name) for key, name, *_rest in ACTORS}
        weekdays = [(day, time(9), time(17)) for day in range(5)]
        created = 0
        for row in DEMO_SERVICES:
            key, name, categories, langs, hours, fields = row
            actor = actors[key]
            if Service.objects.filter(provider=actor, name=name).exists():
                continue
            fields = dict(fields)
            if fields.get("capacity_available") is not None:
                fields["capacity_updated_at"] = timezone.now()
            service = Service(
                provider=actor,
                name=name,
                municipality=actor.municipality,
                country=actor.country,
                area_level="municipality" if actor.municipality else "national",
                **fields,
            )
            service.full_clean()
            service.save()
            ServiceCategory.objects.bulk_create(
                [ServiceCategory(service=service, category=c) for c in categories]
            )
            ServiceLanguage.objects.bulk_create(
                [ServiceLanguage(service=service, code=code) for code in langs]
            )
            OpeningHours.objects.bulk_create(
                [
                    OpeningHours(service=service, weekday=d, opens_at=o, closes_at=c)
                    for d, o, c in (weekdays if hours == "office" else [])
                ]
            )
            created += 1
        return created

    def load_training(self):
        """Trainings past and planned, attendance, prevention work and a few experts."""
        from datetime import timedelta

        from django.utils import timezone

        from training import actions as training_actions
        from training.models import (
            EventTopic,
            ExpertProfile,
            PreventionActivity,
            Registration,
            TrainingEvent,
        )

        if TrainingEvent.objects.exists():
            return 0
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[row[0] for row in USERS])
        }
        actors = {key: Actor.objects.get(name=name) for key, name, *_rest in ACTORS}
        plans = [
            # (municipality, organiser, title, days from now, hours, topics, level, people)
            (
                "RIX",
                "riga-social",
                "Recognising trafficking: indicators for front-line staff",
                -60,
                4,
                ["identification", "victim_centred"],
                "local",
                ["sw.riga", "coord.riga", "provider.riga"],
            ),
            (
                "RIX",
                "riga-social",
                "Labour exploitation in services and construction",
                -400,
                3,
                ["labour"],
                "local",
                ["sw.riga"],
            ),
            (
                "RIX",
                "riga-social",
                "The referral mechanism and data protection in STROM",
                9,
                3,
                ["referral", "data_protection"],
                "local",
                ["sw.riga"],
            ),
            (
                "JEL",
                "jelgava-social",
                "Child trafficking: what schools and social workers see",
                -20,
                3,
                ["children", "identification"],
                "local",
                ["sw.jelgava"],
            ),
            (
                "TLL",
                "tallinn-social",
                "Trauma-informed interviewing",
                20,
                6,
                ["victim_centred"],
                "regional",
                [],
            ),
        ]
        for code, organiser, title, days, hours, topics, level, people in plans:
            event = TrainingEvent.objects.create(
                title=title,
                municipality=Municipality.objects.get(code=code),
                level=level,
                starts_at=now + timedelta(days=days),
                duration_hours=hours,
                place="Town hall, room 2" if level == "local" else "Online",
                mode="in_person" if level == "local" else "online",
                organiser=actors[organiser],
                trainers="Trainers of the national network",
                capacity=25,
                created_by=users["admin.riga"],
                target_roles=["social_worker", "coordinator", "service_provider"],
            )
            EventTopic.objects.bulk_create([EventTopic(event=event, topic=t) for t in topics])
            for username in people:
                Registration.objects.create(event=event, user=users[username])
            if days < 0:
                Registration.objects.create(
                    event=event, external_name="Inga Krūmiņa", external_organisation="State Police"
                )
                attended = {r.pk for r in event.registrations.all()}
                admin = {"RIX": "admin.riga", "JEL": "admin.jelgava", "TLL": "admin.tallinn"}
                training_actions.mark_attendance(
                    by=users[admin[code]], event=event, attended_ids=attended
                )
        today = timezone.localdate()
        riga = Municipality.objects.get(code="RIX")
        for title, kind, group, days, reached in [
            ("Safe work abroad: lesson for final-year pupils", "school", "youth", 30, 120),
            (
                "Leaflets for seasonal workers at the bus station",
                "outreach",
                "migrant_workers",
                90,
                450,
            ),
            ("Information evening for employment agencies", "employers", "employers", 200, 35),
        ]:
            PreventionActivity.objects.create(
                municipality=riga,
                kind=kind,
                target_group=group,
                title=title,
                held_on=today - timedelta(days=days),
                place="Riga",
                partners="State Police, NGO Safe House",
                people_reached=reached,
                created_by=users["coord.riga"],
            )
        latvia, estonia = Country.objects.get(code="LV"), Country.objects.get(code="EE")
        for username, areas, langs, country, municipality in [
            (
                "coord.riga",
                "Labour exploitation, the referral mechanism",
                ["lv", "ru", "en"],
                latvia,
                "RIX",
            ),
            ("provider.riga", "Shelter work with women and children", ["lv", "ru"], latvia, "RIX"),
            (
                "coord.tallinn",
                "Child trafficking, trauma-informed interviewing",
                ["et", "ru", "en"],
                estonia,
                "TLL",
            ),
        ]:
            ExpertProfile.objects.create(
                user=users[username],
                listed=True,
                areas=areas,
                languages=langs,
                country=country,
                municipality=Municipality.objects.get(code=municipality),
                contact=f"{username}@strom.example",
            )
        return len(plans)

    def load_agreements(self):
        """Riga's MoU in force, Jelgava's in negotiation, Tallinn's ending within a month."""
        from datetime import timedelta

        from django.utils import timezone

        from agreements import actions as agreement_actions
        from agreements.models import Agreement, Party

        if Agreement.objects.exists():
            return 0
        today = timezone.localdate()
        actors = {key: Actor.objects.get(name=name) for key, name, *_rest in ACTORS}
        users = {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in=["admin.riga", "admin.jelgava", "admin.tallinn"]
            )
        }
        plans = [
            (
                "admin.riga",
                "RIX",
                "lv",
                "Saprašanās memorands par palīdzību cilvēku tirdzniecības upuriem Rīgā",
                today - timedelta(days=200),
                today + timedelta(days=900),
                today + timedelta(days=165),
                ["riga-social", "riga-police", "riga-shelter", "riga-clinic"],
                "all",
            ),
            (
                "admin.jelgava",
                "JEL",
                "lv",
                "Sadarbības līgums par cilvēku tirdzniecības upuru atbalstu Jelgavā",
                today + timedelta(days=30),
                today + timedelta(days=1125),
                today + timedelta(days=395),
                ["jelgava-social", "jelgava-police", "jelgava-employment"],
                "one",
            ),
            (
                "admin.tallinn",
                "TLL",
                "et",
                "Koostöömemorandum inimkaubanduse ohvrite abistamiseks Tallinnas",
                today - timedelta(days=700),
                today + timedelta(days=25),
                today - timedelta(days=30),
                ["tallinn-social", "tallinn-police", "tallinn-ngo"],
                "all",
            ),
        ]
        for admin, code, language, title, start, end, review, parties, signed in plans:
            by = users[admin]
            agreement = agreement_actions.create_agreement(
                by=by,
                municipality=Municipality.objects.get(code=code),
                kind="mou",
                title=title,
                language=language,
                effective_from=start,
                effective_until=end,
                review_on=review,
            )
            version = agreement.current_version
            for key in parties:
                agreement_actions.save_party(
                    by=by,
                    party=Party(
                        version=version,
                        actor=actors[key],
                        signatory_name="Director",
                        contact_name="Duty officer",
                        contact_phone=actors[key].phone,
                        deputy_name="Deputy director",
                        deputy_phone=actors[key].phone,
                    ),
                )
            to_sign = list(version.parties.all())
            if signed == "one":
                to_sign = to_sign[:1]
            for party in to_sign:
                agreement_actions.record_signature(
                    by=by,
                    party=party,
                    signed_on=min(start, today),
                    signatory_name=party.signatory_name,
                )
        return len(plans)

    def load_referrals(self):
        """Latvia's national pathway, Riga's adaptation, and referrals in every status on the
        Riga cases. Skipped when the national pathway exists."""
        from datetime import timedelta

        from django.utils import timezone

        from cases.models import Case
        from referrals import actions as referral_actions
        from referrals.models import Pathway, PathwayStep

        latvia = Country.objects.get(code="LV")
        if Pathway.objects.filter(country=latvia, municipality__isnull=True).exists():
            return 0
        national = Pathway.objects.create(
            name="Latvian national referral mechanism",
            country=latvia,
            description="Steps from first contact to closure, as agreed nationally.",
        )
        for order, (name, kind, need, limit, unit, done, done_unit) in enumerate(
            NATIONAL_STEPS, start=1
        ):
            PathwayStep.objects.create(
                pathway=national,
                order=order,
                name=name,
                responsible_kind=kind,
                need_category=need,
                response_limit=limit,
                response_unit=unit,
                completion_limit=done,
                completion_unit=done_unit or "working_days",
            )
        riga = Municipality.objects.get(code="RIX")
        local = Pathway.objects.create(
            name="Riga chain of assistance",
            country=latvia,
            municipality=riga,
            origin=national,
            description="Adapted from the national referral mechanism for Riga's organisations.",
        )
        actors = {key: Actor.objects.get(name=name) for key, name, *_rest in ACTORS}
        named = {
            "shelter": "riga-shelter",
            "health_care": "riga-clinic",
            "legal_aid": "riga-legal",
            "social_service": "riga-social",
        }
        for step in national.steps.all():
            PathwayStep.objects.create(
                pathway=local,
                order=step.order * 10,
                name=step.name,
                responsible_kind=step.responsible_kind,
                responsible_actor=actors.get(named.get(step.responsible_kind)),
                need_category=step.need_category,
                # Riga answers accommodation requests within 12 hours, not 24.
                response_limit=12
                if step.need_category == "safe_accommodation"
                else step.response_limit,
                response_unit=step.response_unit,
                completion_limit=step.completion_limit,
                completion_unit=step.completion_unit,
                origin=step,
            )
        PathwayStep.objects.create(
            pathway=local,
            order=25,
            name="Interpreter booked for every meeting",
            responsible_actor=actors["riga-interpreters"],
            responsible_kind="other",
            need_category="interpretation",
            response_limit=24,
            response_unit="hours",
        )
        PathwayStep.objects.create(
            pathway=local,
            order=35,
            name="Psychological first aid at the shelter",
            responsible_actor=actors["riga-shelter"],
            responsible_kind="shelter",
            need_category="psychological_support",
            response_limit=48,
            response_unit="hours",
        )
        for index, step in enumerate(local.steps.order_by("order"), start=1):
            PathwayStep.objects.filter(pk=step.pk).update(order=index)

        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["coord.riga", "provider.riga"])
        }
        coordinator, provider = users["coord.riga"], users["provider.riga"]
        cases = list(Case.objects.filter(municipality=riga).order_by("pk")[:4])
        now = timezone.now()
        created = 0
        for case in cases:
            chain = referral_actions.start_pathway(by=coordinator, case=case, pathway=local)
            created += len(chain)

        def step(case, need):
            return case.referrals.get(step__need_category=need, step__pathway=local)

        shelter = actors["riga-shelter"]
        # Overdue: sent 14 hours ago with Riga's 12-hour limit; the first sweep escalates it.
        referral_actions.send(
            by=coordinator,
            referral=step(cases[0], "safe_accommodation"),
            to_actor=shelter,
            now=now - timedelta(hours=14),
        )
        referral_actions.send(
            by=coordinator, referral=step(cases[0], "medical_care"), to_actor=actors["riga-clinic"]
        )
        in_progress = step(cases[1], "safe_accommodation")
        referral_actions.send(by=coordinator, referral=in_progress, to_actor=shelter)
        referral_actions.accept(by=provider, referral=in_progress)
        referral_actions.start_work(by=provider, referral=in_progress)
        held = step(cases[1], "medical_care")
        referral_actions.send(by=coordinator, referral=held, to_actor=actors["riga-clinic"])
        referral_actions.hold(by=coordinator, referral=held, reason="Waiting for the interpreter")
        declined = step(cases[2], "safe_accommodation")
        referral_actions.send(by=coordinator, referral=declined, to_actor=shelter)
        referral_actions.decline(
            by=provider,
            referral=declined,
            reason="not_eligible",
            note="The shelter takes women and children only",
        )
        expired = step(cases[2], "interpretation")
        referral_actions.send(
            by=coordinator,
            referral=expired,
            to_actor=actors["riga-interpreters"],
            now=now - timedelta(days=3),
        )
        referral_actions.expire(
            by=coordinator, referral=expired, reason="No interpreter was free that week"
        )
        withdrawn = step(cases[2], "medical_care")
        referral_actions.send(by=coordinator, referral=withdrawn, to_actor=actors["riga-clinic"])
        referral_actions.withdraw(
            by=coordinator, referral=withdrawn, reason="The person moved to Jelgava"
        )
        completed = step(cases[3], "safe_accommodation")
        referral_actions.send(by=coordinator, referral=completed, to_actor=shelter)
        referral_actions.accept(by=provider, referral=completed)
        referral_actions.complete(by=provider, referral=completed, outcome="got_help")
        accepted = step(cases[3], "psychological_support")
        referral_actions.send(by=coordinator, referral=accepted, to_actor=shelter)
        referral_actions.accept(by=provider, referral=accepted)
        return created

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
        created += self.load_closed_cases(users, today)
        return created

    def load_closed_cases(self, users, today):
        """Two closed Riga cases for the retention page: one still kept, one whose
        retention period has ended (`manage.py anonymise_expired_cases` anonymises it, or
        the daily task does at night)."""
        from datetime import timedelta

        from cases import actions as case_actions
        from cases.choices import ClosureReason
        from cases.models import Case, Exploitation, Person

        riga = Municipality.objects.get(code="RIX")
        years = riga.country.retention_years
        created = 0
        for given, family, closed_years_ago, extra_days, reason in [
            ("Daina", "Ozola", 2, 0, ClosureReason.GOALS_MET),
            ("Olena", "Kovalenko", years, 20, ClosureReason.RETURNED),
        ]:
            met_on = today.replace(year=today.year - closed_years_ago - 1, day=1)
            if Case.objects.filter(
                municipality=riga, first_contact_on=met_on, closed_on__isnull=False
            ).exists():
                continue
            case = case_actions.open_case(
                by=users["sw.riga"],
                municipality=riga,
                first_contact_on=met_on,
                person=Person(
                    given_names=given, family_name=family, gender="woman", age_years=29
                ),
                exploitation=Exploitation(labour_sector=""),
                forms=["sexual_pornography"],
                needs=[("psychological_support", "days")],
            )
            closed_on = today.replace(year=today.year - closed_years_ago, day=1) - timedelta(
                days=extra_days
            )
            case_actions.close_case(
                by=users["coord.riga"], case=case, reason=reason, closed_on=closed_on
            )
            created += 1
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
            if role != Role.NATIONAL_COORDINATOR:  # optional for them: shown unenrolled
                enrol_demo_second_factor(user)
