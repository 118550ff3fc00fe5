"""Clause texts for cooperation agreements and Memoranda of Understanding.

Administrators draft cooperation agreements and MoUs between the municipal social service, the
police, shelter NGOs, clinics and other actors; STROM prints them as PDFs in the language chosen
for the document. This module holds only data: the standard clauses, the words printed around
them on the PDF, and the titles of the two kinds of document.

``CLAUSES[lang]`` lists ``(key, title, body)`` in ``CLAUSE_KEYS`` order. A body is plain text with
paragraphs separated by a blank line. Bodies are filled with ``str.format_map`` and may use only
these placeholders:

- ``{municipality}``: name of the municipality;
- ``{parties}``: names of the Parties, comma-separated;
- ``{roles}`` (in "roles", on its own paragraph): which Party owns which referral step, with its
  time limit;
- ``{contacts}`` (in "referral", on its own paragraph): each Party's 24/7 contact and deputy;
- ``{effective_from}``, ``{effective_until}`` (in "duration") and ``{review_on}`` (in
  "monitoring"): formatted dates.

No other braces appear in any text. The clauses follow the domain reference ("Cooperation
agreements and MoUs"): assistance starts at the first reasonable-grounds indication, never
depends on cooperation with law enforcement, and each act of sharing needs the victim's consent.
"""

LANGUAGES = ("en", "lv", "lt", "et", "ru")

CLAUSE_KEYS = (
    "purpose",
    "definitions",
    "principles",
    "roles",
    "referral",
    "information_sharing",
    "confidentiality",
    "costs",
    "training",
    "monitoring",
    "disputes",
    "duration",
    "signatures",
)

CLAUSES = {
    "en": [
        (
            "purpose",
            "Purpose and scope",
            "The Parties ({parties}) conclude this document in order to establish a quick and "
            "coordinated chain of assistance for potential, presumed and formally identified "
            "victims of trafficking in human beings in {municipality}.\n\n"
            "The chain of assistance shall ensure that every person in respect of whom "
            "indicators of trafficking are noticed is recognised early, referred without "
            "delay to the competent Party and receives safe accommodation, medical care, "
            "psychological, social and legal assistance and protection according to his or "
            "her individual needs.\n\n"
            "This document applies to all cases that a Party detects or receives in the "
            "course of its work. It complements the national referral mechanism and neither "
            "replaces nor limits the statutory duties of any Party.",
        ),
        (
            "definitions",
            "Definitions",
            "In this document, trafficking in human beings has the meaning given in Article 2 "
            "of Directive 2011/36/EU on preventing and combating trafficking in human beings "
            "and protecting its victims, as amended by Directive (EU) 2024/1712, and in the "
            "national law.\n\n"
            "A potential victim is a person in respect of whom indicators of trafficking have "
            "been noticed but not yet assessed. A presumed victim is a person in respect of "
            "whom there are reasonable grounds to believe that he or she is a victim, but who "
            "has not been formally identified or has declined formal identification. A "
            "formally identified victim is a person recognised as a victim of trafficking by "
            "the competent authority under the national law.\n\n"
            "A child is a person under 18. Where a person's age is uncertain and there are "
            "reasons to believe that he or she is a child, that person is presumed to be a "
            "child.",
        ),
        (
            "principles",
            "Principles",
            "The Parties act in accordance with the following principles.\n\n"
            "Assistance is victim-centred, trauma-informed and tailored to the age, gender, "
            "background and needs of the person. It begins as soon as there are reasonable "
            "grounds to believe that the person is a victim and is not conditional on his or "
            "her willingness to cooperate with law enforcement in criminal proceedings. No "
            "Party refuses or delays assistance because a person is only a potential or "
            "presumed victim.\n\n"
            "In all actions concerning a child, the best interests of the child are a primary "
            "consideration; a guardian or representative is appointed and the "
            "child-protection authority is involved without delay.\n\n"
            "Assistance is provided without discrimination on any ground, including sex, "
            "gender identity, age, ethnic origin, citizenship, residence status, sexual "
            "orientation or disability. Decisions are taken with the person's informed "
            "consent, given in a language he or she understands, with an interpreter where "
            "needed.",
        ),
        (
            "roles",
            "Roles and responsibilities",
            "Each Party performs its tasks within the mandate given to it by the national law "
            "and is responsible for the steps of the chain of assistance assigned to it "
            "below, within the time limits indicated:\n\n"
            "{roles}\n\n"
            "A time limit runs from the moment the responsible Party receives the referral. A "
            "Party that cannot meet a time limit or lacks capacity informs the municipal "
            "anti-trafficking coordinator immediately, so that the step can be reassigned to "
            "another Party or escalated.\n\n"
            "A Party may decline a referral only by stating the reason. Each Party designates "
            "the staff responsible for its steps and ensures that they are reachable and have "
            "the necessary authority.",
        ),
        (
            "referral",
            "Referral procedure",
            "A Party that notices a potential victim contacts the municipal contact point "
            "without delay. Where there is an immediate risk to life or health, the Party "
            "first calls the emergency number 112. Immediate needs for safety, accommodation "
            "and medical care are met within 24 hours.\n\n"
            "Referrals are sent and answered in the STROM system; a referral made by "
            "telephone in an emergency is recorded in STROM no later than the next working "
            "day. Each Party can be reached at any time through the following 24/7 contact "
            "persons and their deputies:\n\n"
            "{contacts}\n\n"
            "Each Party keeps the information on its contact persons, services and capacity "
            "up to date and notifies any change without delay.",
        ),
        (
            "information_sharing",
            "Information sharing and data protection",
            "Personal data are processed under Article 6(1)(e) and Article 9(2)(g) and (h) of "
            "the General Data Protection Regulation (GDPR) for the public tasks assigned to "
            "the Parties by the national law. Only the minimum data necessary for the step of "
            "assistance concerned are shared.\n\n"
            "Each act of sharing with another Party requires the victim's informed consent, "
            "recording the recipient, information, purpose and expiry date; for a child, the "
            "guardian's consent and the child's assent are required. Withdrawal of consent "
            "takes effect at once. Assistance never depends on consent: without it, only the "
            "reference code, needs, language and urgency are shared.\n\n"
            "The Parties are joint controllers within the meaning of Article 26 GDPR; the "
            "municipal social service is the contact point for data subjects. The Parties "
            "protect the data with pseudonymised reference codes, encryption and access logs, "
            "and notify each other of any personal data breach without undue delay.",
        ),
        (
            "confidentiality",
            "Confidentiality",
            "The Parties keep confidential all information on victims and their cases "
            "obtained under this document, including the identity and whereabouts of victims "
            "and the addresses of safe accommodation. Information is disclosed only to staff "
            "who need it for their tasks and only to the extent permitted by this document "
            "and the law.\n\n"
            "Reports, statistics and public communication contain aggregate data only and "
            "never allow a victim to be identified.\n\n"
            "The duty of confidentiality applies to every employee, volunteer, interpreter "
            "and subcontractor of a Party, who sign a confidentiality undertaking; it "
            "continues after the end of their employment and after this document ceases to be "
            "in force.",
        ),
        (
            "costs",
            "Costs",
            "Each Party bears its own costs of implementing this document, unless the Parties "
            "agree otherwise in writing.\n\n"
            "This document creates no financial obligations beyond the budgets approved for "
            "each Party. Where the Parties agree on the funding of particular services, such "
            "as places in safe accommodation, interpretation or transport, they conclude a "
            "separate written agreement in accordance with the budget and public procurement "
            "rules that apply to them.\n\n"
            "A disagreement on costs shall not delay or interrupt assistance to a victim.",
        ),
        (
            "training",
            "Training",
            "Each Party ensures that its staff involved in the chain of assistance are "
            "trained to recognise the indicators of trafficking and know the referral "
            "procedure under this document, the victim-centred and trauma-informed approach, "
            "the rights of the child and data protection.\n\n"
            "The municipality organises joint training for the Parties at least once a year, "
            "involving specialists of the other Parties as trainers where appropriate. New "
            "staff members receive an introduction before they handle their first referral.\n\n"
            "The Parties exchange training materials free of charge and inform each other of "
            "the training they organise that is open to others.",
        ),
        (
            "monitoring",
            "Monitoring and review",
            "The municipal anti-trafficking coordinator convenes the Parties at least twice a "
            "year to review how the chain of assistance works: the number of referrals, "
            "compliance with time limits, missing services and difficulties encountered. "
            "Reviews use aggregate data only and never data on individual victims.\n\n"
            "The Parties review this document as a whole no later than {review_on}, and "
            "earlier if the national law or the national referral mechanism changes.\n\n"
            "Amendments to this document, including changes to roles and time limits, are "
            "made in writing and signed by all Parties; a change of contact person is "
            "notified in writing and requires no amendment.",
        ),
        (
            "disputes",
            "Settlement of disputes",
            "The Parties settle any disagreement on the interpretation or implementation of "
            "this document by negotiation in good faith, first between the contact persons "
            "concerned and then between the heads of the Parties.\n\n"
            "Where a disagreement cannot be settled within 30 days, any Party may ask the "
            "national anti-trafficking coordinator to mediate. Disputes that remain unsettled "
            "are resolved in accordance with the national law.\n\n"
            "A disagreement between the Parties shall never delay or interrupt assistance to "
            "a victim.",
        ),
        (
            "duration",
            "Duration and termination",
            "This document enters into force on {effective_from} and remains in force until "
            "{effective_until}. The Parties may extend it by a written agreement concluded "
            "before it expires.\n\n"
            "Any Party may terminate its participation by giving the other Parties three "
            "months' written notice. The withdrawal of one Party does not affect the validity "
            "of this document between the other Parties.\n\n"
            "On expiry or termination, the Parties complete ongoing referrals or transfer "
            "them to another Party without interrupting assistance to victims. The "
            "obligations of confidentiality and data protection remain in force after this "
            "document ceases to apply.",
        ),
        (
            "signatures",
            "Signatures",
            "This document is signed by the authorised representatives of the Parties "
            "({parties}) with qualified electronic signatures or on paper in as many copies "
            "as there are Parties, each copy having equal legal force.",
        ),
    ],
    "lv": [
        (
            "purpose",
            "Mērķis un darbības joma",
            "Puses ({parties}) noslēdz šo dokumentu, lai izveidotu ātru un koordinētu "
            "palīdzības ķēdi potenciālajiem, iespējamajiem un formāli identificētajiem "
            "cilvēku tirdzniecības upuriem. Dokumenta darbības teritorija: {municipality}.\n\n"
            "Palīdzības ķēde nodrošina, ka ikviena persona, attiecībā uz kuru konstatētas "
            "cilvēku tirdzniecības pazīmes, tiek laikus atpazīta, bez kavēšanās nosūtīta pie "
            "kompetentās Puses un saņem drošu izmitināšanu, medicīnisko, psiholoģisko, "
            "sociālo un juridisko palīdzību un aizsardzību atbilstoši savām individuālajām "
            "vajadzībām.\n\n"
            "Dokuments attiecas uz visiem gadījumiem, kurus Puse konstatē vai saņem savā "
            "darbā. Tas papildina nacionālo nosūtīšanas mehānismu un ne aizstāj, ne ierobežo "
            "Pušu normatīvajos aktos noteiktos pienākumus.",
        ),
        (
            "definitions",
            "Termini",
            "Šajā dokumentā cilvēku tirdzniecība ir saprotama tādā nozīmē, kāda tai noteikta "
            "Direktīvas 2011/36/ES par cilvēku tirdzniecības novēršanu un apkarošanu un "
            "cietušo aizsardzību, kas grozīta ar Direktīvu (ES) 2024/1712, 2. pantā un valsts "
            "normatīvajos aktos.\n\n"
            "Potenciālais upuris ir persona, attiecībā uz kuru konstatētas cilvēku "
            "tirdzniecības pazīmes, bet tās vēl nav izvērtētas. Iespējamais upuris ir "
            "persona, attiecībā uz kuru ir pamatotas norādes, ka tā ir cilvēku tirdzniecības "
            "upuris, bet kura nav formāli identificēta vai ir atteikusies no formālas "
            "identificēšanas. Formāli identificēts upuris ir persona, kuru kompetentā iestāde "
            "saskaņā ar valsts normatīvajiem aktiem ir atzinusi par cilvēku tirdzniecības "
            "upuri.\n\n"
            "Bērns ir persona, kura nav sasniegusi 18 gadu vecumu. Ja personas vecums nav "
            "skaidrs un ir pamats uzskatīt, ka tā ir bērns, personu uzskata par bērnu.",
        ),
        (
            "principles",
            "Principi",
            "Puses rīkojas saskaņā ar šādiem principiem.\n\n"
            "Palīdzība ir vērsta uz upuri, ņem vērā piedzīvoto traumu un ir pielāgota "
            "personas vecumam, dzimumam, izcelsmei un vajadzībām. To sniedz, tiklīdz ir "
            "pamatotas norādes, ka persona ir upuris, un tā nav atkarīga no personas "
            "gatavības sadarboties ar tiesībaizsardzības iestādēm kriminālprocesā. Neviena "
            "Puse neatsaka un neaizkavē palīdzību tādēļ, ka persona ir tikai potenciālais vai "
            "iespējamais upuris.\n\n"
            "Visās darbībās, kas skar bērnu, prioritāras ir bērna labākās intereses; bērnam "
            "bez kavēšanās nodrošina aizbildni vai pārstāvi un iesaista bērnu tiesību "
            "aizsardzības iestādi.\n\n"
            "Palīdzību sniedz bez jebkādas diskriminācijas, tostarp dzimuma, "
            "dzimumidentitātes, vecuma, etniskās izcelsmes, pilsonības, uzturēšanās statusa, "
            "seksuālās orientācijas vai invaliditātes dēļ. Lēmumus pieņem ar personas "
            "informētu piekrišanu, kas dota tai saprotamā valodā, vajadzības gadījumā ar "
            "tulka palīdzību.",
        ),
        (
            "roles",
            "Pušu lomas un pienākumi",
            "Katra Puse veic uzdevumus savas normatīvajos aktos noteiktās kompetences "
            "ietvaros un atbild par tai uzticētajiem palīdzības ķēdes posmiem turpmāk "
            "norādītajos termiņos:\n\n"
            "{roles}\n\n"
            "Termiņš sākas brīdī, kad atbildīgā Puse saņem nosūtījumu. Ja Puse nevar ievērot "
            "termiņu vai tai nav pietiekamas kapacitātes, tā nekavējoties informē pašvaldības "
            "cilvēku tirdzniecības novēršanas koordinatoru, lai posmu varētu nodot citai "
            "Pusei vai jautājumu eskalēt.\n\n"
            "Puse var atteikties pieņemt nosūtījumu, tikai norādot iemeslu. Katra Puse nosaka "
            "darbiniekus, kas atbild par tās posmiem, un nodrošina, ka viņi ir sasniedzami un "
            "viņiem ir nepieciešamās pilnvaras.",
        ),
        (
            "referral",
            "Nosūtīšanas kārtība",
            "Puse, kas konstatē potenciālu upuri, nekavējoties sazinās ar pašvaldības "
            "kontaktpunktu. Ja pastāv tieši draudi dzīvībai vai veselībai, Puse vispirms "
            "zvana uz ārkārtas palīdzības tālruni 112. Neatliekamās vajadzības pēc drošības, "
            "izmitināšanas un medicīniskās palīdzības nodrošina 24 stundu laikā.\n\n"
            "Nosūtījumus sūta un uz tiem atbild sistēmā STROM; nosūtījumu, kas ārkārtas "
            "gadījumā veikts pa tālruni, reģistrē sistēmā STROM ne vēlāk kā nākamajā darba "
            "dienā. Katra Puse ir sasniedzama jebkurā laikā ar šādu diennakts kontaktpersonu "
            "un to aizvietotāju starpniecību:\n\n"
            "{contacts}\n\n"
            "Katra Puse uztur aktuālu informāciju par savām kontaktpersonām, pakalpojumiem un "
            "kapacitāti un bez kavēšanās paziņo par izmaiņām.",
        ),
        (
            "information_sharing",
            "Informācijas apmaiņa un datu aizsardzība",
            "Personas datus apstrādā saskaņā ar Vispārīgās datu aizsardzības regulas (VDAR) "
            "6. panta 1. punkta e) apakšpunktu un 9. panta 2. punkta g) un h) apakšpunktu, "
            "pildot Pusēm valsts normatīvajos aktos noteiktos sabiedrības interesēs veicamos "
            "uzdevumus. Kopīgo tikai tos datus, kas ir minimāli nepieciešami attiecīgajam "
            "palīdzības posmam.\n\n"
            "Katrai informācijas kopīgošanai ar citu Pusi nepieciešama upura informēta "
            "piekrišana, ko reģistrē, norādot saņēmēju, informāciju, mērķi un derīguma "
            "termiņu; bērna gadījumā nepieciešama likumiskā pārstāvja piekrišana un paša "
            "bērna piekrišana. Piekrišanas atsaukums stājas spēkā nekavējoties. Palīdzība "
            "nekad nav atkarīga no piekrišanas: bez tās kopīgo tikai atsauces kodu, "
            "vajadzības, valodu un steidzamību.\n\n"
            "Puses ir kopīgi pārziņi VDAR 26. panta izpratnē; datu subjektu kontaktpunkts ir "
            "pašvaldības sociālais dienests. Puses aizsargā datus ar pseidonimizētiem "
            "atsauces kodiem, šifrēšanu un piekļuves žurnāliem un bez nepamatotas kavēšanās "
            "informē cita citu par jebkuru personas datu aizsardzības pārkāpumu.",
        ),
        (
            "confidentiality",
            "Konfidencialitāte",
            "Puses ievēro konfidencialitāti attiecībā uz visu saskaņā ar šo dokumentu iegūto "
            "informāciju par upuriem un viņu lietām, tostarp par upuru identitāti, atrašanās "
            "vietu un drošas izmitināšanas vietu adresēm. Informāciju atklāj tikai tiem "
            "darbiniekiem, kuriem tā nepieciešama savu uzdevumu veikšanai, un tikai tiktāl, "
            "ciktāl to pieļauj šis dokuments un normatīvie akti.\n\n"
            "Pārskatos, statistikā un publiskajā komunikācijā izmanto tikai apkopotus datus, "
            "kas nekad neļauj identificēt upuri.\n\n"
            "Konfidencialitātes pienākums attiecas uz ikvienu Puses darbinieku, brīvprātīgo, "
            "tulku un apakšuzņēmēju, kas paraksta apliecinājumu par konfidencialitātes "
            "ievērošanu; tas ir spēkā arī pēc darba attiecību izbeigšanās un pēc šī dokumenta "
            "darbības beigām.",
        ),
        (
            "costs",
            "Izmaksas",
            "Katra Puse sedz savas izmaksas, kas saistītas ar šī dokumenta izpildi, ja vien "
            "Puses rakstveidā nevienojas citādi.\n\n"
            "Šis dokuments nerada finanšu saistības, kas pārsniedz katrai Pusei apstiprināto "
            "budžetu. Ja Puses vienojas par atsevišķu pakalpojumu, piemēram, drošas "
            "izmitināšanas vietu, tulka pakalpojumu vai transporta, finansēšanu, tās noslēdz "
            "atsevišķu rakstveida līgumu saskaņā ar uz tām attiecināmajiem budžeta un "
            "publisko iepirkumu noteikumiem.\n\n"
            "Domstarpības par izmaksām neaizkavē un nepārtrauc palīdzības sniegšanu upurim.",
        ),
        (
            "training",
            "Apmācība",
            "Katra Puse nodrošina, ka tās darbinieki, kas iesaistīti palīdzības ķēdē, ir "
            "apmācīti atpazīt cilvēku tirdzniecības pazīmes un pārzina šajā dokumentā "
            "noteikto nosūtīšanas kārtību, uz upuri vērstu un traumu informētu pieeju, bērna "
            "tiesības un datu aizsardzību.\n\n"
            "Pašvaldība vismaz reizi gadā organizē Pusēm kopīgas apmācības, pēc vajadzības "
            "piesaistot citu Pušu speciālistus kā lektorus. Jaunie darbinieki saņem "
            "ievadapmācību, pirms viņi izskata pirmo nosūtījumu.\n\n"
            "Puses bez maksas apmainās ar mācību materiāliem un informē cita citu par savām "
            "apmācībām, kas ir atvērtas arī citiem dalībniekiem.",
        ),
        (
            "monitoring",
            "Uzraudzība un pārskatīšana",
            "Pašvaldības cilvēku tirdzniecības novēršanas koordinators vismaz divas reizes "
            "gadā sasauc Puses, lai izvērtētu palīdzības ķēdes darbību: nosūtījumu skaitu, "
            "termiņu ievērošanu, trūkstošos pakalpojumus un radušās grūtības. Izvērtēšanā "
            "izmanto tikai apkopotus datus un nekad – datus par atsevišķiem upuriem.\n\n"
            "Puses pārskata šo dokumentu kopumā ne vēlāk kā {review_on} un agrāk, ja mainās "
            "valsts normatīvie akti vai nacionālais nosūtīšanas mehānisms.\n\n"
            "Grozījumus šajā dokumentā, tostarp lomu un termiņu izmaiņas, izdara rakstveidā, "
            "un tos paraksta visas Puses; par kontaktpersonas maiņu paziņo rakstveidā, un tai "
            "grozījumi nav nepieciešami.",
        ),
        (
            "disputes",
            "Strīdu izšķiršana",
            "Puses risina domstarpības par šī dokumenta interpretāciju vai izpildi labā "
            "ticībā sarunu ceļā – vispirms starp attiecīgajām kontaktpersonām, pēc tam starp "
            "Pušu vadītājiem.\n\n"
            "Ja domstarpības neizdodas atrisināt 30 dienu laikā, jebkura Puse var lūgt "
            "nacionālo cilvēku tirdzniecības novēršanas koordinatoru būt par starpnieku. "
            "Strīdus, kas paliek neatrisināti, izšķir valsts normatīvajos aktos noteiktajā "
            "kārtībā.\n\n"
            "Domstarpības starp Pusēm nekad neaizkavē un nepārtrauc palīdzības sniegšanu "
            "upurim.",
        ),
        (
            "duration",
            "Darbības termiņš un izbeigšana",
            "Šis dokuments stājas spēkā {effective_from} un ir spēkā līdz {effective_until}. "
            "Puses var to pagarināt ar rakstveida vienošanos, kas noslēgta pirms dokumenta "
            "darbības termiņa beigām.\n\n"
            "Jebkura Puse var izbeigt savu dalību, rakstveidā par to paziņojot pārējām Pusēm "
            "trīs mēnešus iepriekš. Vienas Puses izstāšanās neietekmē dokumenta spēkā esamību "
            "starp pārējām Pusēm.\n\n"
            "Dokumenta darbības termiņam beidzoties vai dokumentu izbeidzot, Puses pabeidz "
            "uzsāktos nosūtījumus vai nodod tos citai Pusei, nepārtraucot palīdzību upuriem. "
            "Konfidencialitātes un datu aizsardzības pienākumi ir spēkā arī pēc dokumenta "
            "darbības beigām.",
        ),
        (
            "signatures",
            "Paraksti",
            "Šo dokumentu paraksta Pušu ({parties}) pilnvarotie pārstāvji ar drošu "
            "elektronisko parakstu vai papīra formā tik eksemplāros, cik ir Pušu; visiem "
            "eksemplāriem ir vienāds juridiskais spēks.",
        ),
    ],
    "lt": [
        (
            "purpose",
            "Tikslas ir taikymo sritis",
            "Šalys ({parties}) sudaro šį dokumentą siekdamos sukurti greitą ir koordinuotą "
            "pagalbos grandinę galimoms, tikėtinoms ir oficialiai nustatytoms prekybos "
            "žmonėmis aukoms. Dokumentas taikomas šios savivaldybės teritorijoje: "
            "{municipality}.\n\n"
            "Pagalbos grandinė užtikrina, kad kiekvienas asmuo, kurio atžvilgiu pastebėta "
            "prekybos žmonėmis požymių, būtų laiku atpažintas, nedelsiant nukreiptas "
            "kompetentingai Šaliai ir pagal savo individualius poreikius gautų saugų "
            "apgyvendinimą, medicinos, psichologinę, socialinę ir teisinę pagalbą bei "
            "apsaugą.\n\n"
            "Dokumentas taikomas visais atvejais, kuriuos Šalis nustato arba gauna vykdydama "
            "savo veiklą. Jis papildo nacionalinį nukreipimo mechanizmą ir nepakeičia bei "
            "neriboja teisės aktuose nustatytų Šalių pareigų.",
        ),
        (
            "definitions",
            "Sąvokos",
            "Šiame dokumente prekyba žmonėmis suprantama taip, kaip ji apibrėžta Direktyvos "
            "2011/36/ES dėl prekybos žmonėmis prevencijos, kovos su ja ir aukų apsaugos, iš "
            "dalies pakeistos Direktyva (ES) 2024/1712, 2 straipsnyje ir nacionaliniuose "
            "teisės aktuose.\n\n"
            "Galima auka – asmuo, kurio atžvilgiu pastebėta prekybos žmonėmis požymių, tačiau "
            "jie dar neįvertinti. Tikėtina auka – asmuo, dėl kurio yra pagrįstų priežasčių "
            "manyti, kad jis yra prekybos žmonėmis auka, tačiau kuris nėra oficialiai "
            "pripažintas auka arba to atsisakė. Oficialiai nustatyta auka – asmuo, kurį "
            "kompetentinga institucija pagal nacionalinius teisės aktus oficialiai pripažino "
            "prekybos žmonėmis auka.\n\n"
            "Vaikas – asmuo, neturintis 18 metų. Jeigu asmens amžius nėra aiškus ir yra "
            "priežasčių manyti, kad asmuo yra vaikas, jis laikomas vaiku.",
        ),
        (
            "principles",
            "Principai",
            "Šalys vadovaujasi šiais principais.\n\n"
            "Pagalba yra orientuota į auką, atsižvelgia į patirtą traumą ir pritaikyta asmens "
            "amžiui, lyčiai, kilmei ir poreikiams. Ji teikiama, kai tik atsiranda pagrįstų "
            "priežasčių manyti, kad asmuo yra auka, ir nepriklauso nuo asmens noro "
            "bendradarbiauti su teisėsaugos institucijomis baudžiamajame procese. Nė viena "
            "Šalis neatsisako teikti pagalbos ir jos nevilkina dėl to, kad asmuo yra tik "
            "galima ar tikėtina auka.\n\n"
            "Visuose su vaiku susijusiuose veiksmuose vadovaujamasi vaiko interesų pirmenybės "
            "principu; vaikui nedelsiant paskiriamas globėjas arba atstovas ir įtraukiama "
            "vaiko teisių apsaugos institucija.\n\n"
            "Pagalba teikiama be jokios diskriminacijos, be kita ko, dėl lyties, lytinės "
            "tapatybės, amžiaus, etninės kilmės, pilietybės, migracinio statuso, seksualinės "
            "orientacijos ar negalios. Sprendimai priimami gavus informuotą asmens sutikimą, "
            "duotą jam suprantama kalba, prireikus dalyvaujant vertėjui.",
        ),
        (
            "roles",
            "Šalių vaidmenys ir atsakomybė",
            "Kiekviena Šalis vykdo užduotis pagal teisės aktuose nustatytą kompetenciją ir "
            "atsako už jai priskirtus pagalbos grandinės etapus toliau nurodytais terminais:\n\n"
            "{roles}\n\n"
            "Terminas skaičiuojamas nuo to momento, kai atsakinga Šalis gauna siuntimą. Jeigu "
            "Šalis negali laikytis termino arba neturi pakankamų pajėgumų, ji nedelsdama "
            "informuoja savivaldybės kovos su prekyba žmonėmis koordinatorių, kad etapas būtų "
            "perduotas kitai Šaliai arba klausimas būtų eskaluotas.\n\n"
            "Šalis gali atsisakyti priimti siuntimą tik nurodydama priežastį. Kiekviena Šalis "
            "paskiria darbuotojus, atsakingus už jai priskirtus etapus, ir užtikrina, kad jie "
            "būtų pasiekiami ir turėtų reikiamus įgaliojimus.",
        ),
        (
            "referral",
            "Nukreipimo tvarka",
            "Šalis, pastebėjusi galimą auką, nedelsdama kreipiasi į savivaldybės kontaktinį "
            "punktą. Jeigu kyla tiesioginė grėsmė gyvybei ar sveikatai, Šalis pirmiausia "
            "skambina bendruoju pagalbos telefonu 112. Neatidėliotini saugumo, apgyvendinimo "
            "ir medicinos pagalbos poreikiai patenkinami per 24 valandas.\n\n"
            "Siuntimai siunčiami ir į juos atsakoma sistemoje STROM; skubiu atveju telefonu "
            "atliktas siuntimas užregistruojamas sistemoje STROM ne vėliau kaip kitą darbo "
            "dieną. Kiekviena Šalis yra pasiekiama bet kuriuo metu per šiuos visą parą "
            "pasiekiamus kontaktinius asmenis ir juos pavaduojančius asmenis:\n\n"
            "{contacts}\n\n"
            "Kiekviena Šalis nuolat atnaujina informaciją apie savo kontaktinius asmenis, "
            "paslaugas ir pajėgumus ir nedelsdama praneša apie pasikeitimus.",
        ),
        (
            "information_sharing",
            "Keitimasis informacija ir duomenų apsauga",
            "Asmens duomenys tvarkomi pagal Bendrojo duomenų apsaugos reglamento (BDAR) 6 "
            "straipsnio 1 dalies e punktą ir 9 straipsnio 2 dalies g ir h punktus, vykdant "
            "nacionaliniuose teisės aktuose Šalims pavestas viešojo intereso užduotis. "
            "Teikiami tik tie duomenys, kurie būtini konkrečiam pagalbos etapui.\n\n"
            "Kiekvienam dalijimuisi informacija su kita Šalimi reikalingas informuotas aukos "
            "sutikimas, kuriame nurodomas gavėjas, informacija, tikslas ir galiojimo "
            "terminas; vaiko atveju reikalingas jo atstovo pagal įstatymą sutikimas ir paties "
            "vaiko pritarimas. Sutikimo atšaukimas įsigalioja nedelsiant. Pagalba niekada "
            "nepriklauso nuo sutikimo: jo nesant, perduodamas tik nuorodos kodas, poreikiai, "
            "kalba ir skubumas.\n\n"
            "Šalys yra bendri duomenų valdytojai pagal BDAR 26 straipsnį; duomenų subjektams "
            "kontaktinis punktas yra savivaldybės socialinių paslaugų tarnyba. Šalys saugo "
            "duomenis naudodamos pseudonimizuotus nuorodos kodus, šifravimą ir prieigos "
            "žurnalus ir be nepagrįsto delsimo praneša viena kitai apie bet kokį asmens "
            "duomenų saugumo pažeidimą.",
        ),
        (
            "confidentiality",
            "Konfidencialumas",
            "Šalys užtikrina visos pagal šį dokumentą gautos informacijos apie aukas ir jų "
            "bylas konfidencialumą, įskaitant aukų tapatybę, buvimo vietą ir saugaus "
            "apgyvendinimo vietų adresus. Informacija atskleidžiama tik tiems darbuotojams, "
            "kuriems ji reikalinga jų užduotims atlikti, ir tik tiek, kiek leidžia šis "
            "dokumentas ir teisės aktai.\n\n"
            "Ataskaitose, statistikoje ir viešojoje komunikacijoje pateikiami tik "
            "apibendrinti duomenys, pagal kuriuos niekada negalima nustatyti aukos tapatybės.\n\n"
            "Konfidencialumo pareiga taikoma kiekvienam Šalies darbuotojui, savanoriui, "
            "vertėjui ir subrangovui, kurie pasirašo konfidencialumo pasižadėjimą; ji galioja "
            "ir pasibaigus jų darbo santykiams bei šio dokumento galiojimui.",
        ),
        (
            "costs",
            "Išlaidos",
            "Kiekviena Šalis pati padengia savo išlaidas, susijusias su šio dokumento "
            "vykdymu, nebent Šalys raštu susitaria kitaip.\n\n"
            "Šis dokumentas nesukuria finansinių įsipareigojimų, viršijančių kiekvienai "
            "Šaliai patvirtintą biudžetą. Jeigu Šalys susitaria dėl tam tikrų paslaugų, "
            "pavyzdžiui, saugaus apgyvendinimo vietų, vertimo žodžiu ar transporto, "
            "finansavimo, jos sudaro atskirą rašytinę sutartį pagal joms taikomas biudžeto ir "
            "viešųjų pirkimų taisykles.\n\n"
            "Nesutarimas dėl išlaidų nevilkina ir nenutraukia pagalbos teikimo aukai.",
        ),
        (
            "training",
            "Mokymai",
            "Kiekviena Šalis užtikrina, kad jos darbuotojai, dalyvaujantys pagalbos "
            "grandinėje, būtų apmokyti atpažinti prekybos žmonėmis požymius ir išmanytų šiame "
            "dokumente nustatytą nukreipimo tvarką, į auką orientuotą ir į traumą "
            "atsižvelgiantį požiūrį, vaiko teises ir duomenų apsaugą.\n\n"
            "Savivaldybė ne rečiau kaip kartą per metus organizuoja bendrus Šalių mokymus, "
            "prireikus kaip lektorius pasitelkdama kitų Šalių specialistus. Nauji darbuotojai "
            "supažindinami su nukreipimo tvarka prieš nagrinėdami pirmąjį siuntimą.\n\n"
            "Šalys neatlygintinai keičiasi mokymo medžiaga ir informuoja viena kitą apie savo "
            "organizuojamus mokymus, kuriuose gali dalyvauti ir kiti.",
        ),
        (
            "monitoring",
            "Stebėsena ir peržiūra",
            "Savivaldybės kovos su prekyba žmonėmis koordinatorius ne rečiau kaip du kartus "
            "per metus sušaukia Šalis įvertinti, kaip veikia pagalbos grandinė: siuntimų "
            "skaičių, terminų laikymąsi, trūkstamas paslaugas ir iškilusius sunkumus. "
            "Vertinant naudojami tik apibendrinti duomenys, niekada – duomenys apie atskiras "
            "aukas.\n\n"
            "Šalys peržiūri visą šį dokumentą ne vėliau kaip {review_on}, o anksčiau – jeigu "
            "pasikeičia nacionaliniai teisės aktai arba nacionalinis nukreipimo mechanizmas.\n\n"
            "Šio dokumento pakeitimai, įskaitant vaidmenų ir terminų pakeitimus, įforminami "
            "raštu ir pasirašomi visų Šalių; apie kontaktinio asmens pasikeitimą pranešama "
            "raštu, ir tam dokumento keisti nereikia.",
        ),
        (
            "disputes",
            "Ginčų sprendimas",
            "Nesutarimus dėl šio dokumento aiškinimo ar vykdymo Šalys sprendžia sąžiningomis "
            "derybomis – pirmiausia tarp atitinkamų kontaktinių asmenų, paskui tarp Šalių "
            "vadovų.\n\n"
            "Jeigu nesutarimo nepavyksta išspręsti per 30 dienų, bet kuri Šalis gali "
            "paprašyti nacionalinio kovos su prekyba žmonėmis koordinatoriaus tarpininkauti. "
            "Neišspręsti ginčai sprendžiami nacionalinių teisės aktų nustatyta tvarka.\n\n"
            "Šalių nesutarimai niekada nevilkina ir nenutraukia pagalbos teikimo aukai.",
        ),
        (
            "duration",
            "Galiojimas ir nutraukimas",
            "Šis dokumentas įsigalioja {effective_from} ir galioja iki {effective_until}. "
            "Šalys gali pratęsti jo galiojimą rašytiniu susitarimu, sudarytu iki dokumento "
            "galiojimo pabaigos.\n\n"
            "Bet kuri Šalis gali nutraukti savo dalyvavimą, prieš tris mėnesius raštu "
            "įspėjusi kitas Šalis. Vienos Šalies pasitraukimas neturi įtakos dokumento "
            "galiojimui kitų Šalių atžvilgiu.\n\n"
            "Pasibaigus dokumento galiojimui arba jį nutraukus, Šalys užbaigia pradėtus "
            "siuntimus arba perduoda juos kitai Šaliai, nenutraukdamos pagalbos aukoms. "
            "Konfidencialumo ir duomenų apsaugos įsipareigojimai galioja ir pasibaigus "
            "dokumento galiojimui.",
        ),
        (
            "signatures",
            "Parašai",
            "Šį dokumentą pasirašo įgalioti Šalių ({parties}) atstovai kvalifikuotais "
            "elektroniniais parašais arba popieriuje, sudarant tiek egzempliorių, kiek yra "
            "Šalių; visi egzemplioriai turi vienodą juridinę galią.",
        ),
    ],
    "et": [
        (
            "purpose",
            "Eesmärk ja kohaldamisala",
            "Pooled ({parties}) sõlmivad käesoleva dokumendi, et luua kiire ja kooskõlastatud "
            "abiahel inimkaubanduse võimalikele, eeldatavatele ja ametlikult tuvastatud "
            "ohvritele. Dokumenti kohaldatakse järgmise omavalitsuse territooriumil: "
            "{municipality}.\n\n"
            "Abiahel tagab, et iga isik, kelle puhul on märgatud inimkaubanduse tunnuseid, "
            "avastatakse varakult, suunatakse viivitamata pädevale Poolele ning ta saab "
            "vastavalt oma individuaalsetele vajadustele turvalise majutuse, arstiabi, "
            "psühholoogilise ja sotsiaalse abi, õigusabi ning kaitse.\n\n"
            "Dokumenti kohaldatakse kõigile juhtumitele, mille Pool oma töös avastab või mis "
            "talle edastatakse. See täiendab riiklikku suunamismehhanismi ega asenda ega "
            "piira ühegi Poole seadusest tulenevaid kohustusi.",
        ),
        (
            "definitions",
            "Mõisted",
            "Käesolevas dokumendis kasutatakse mõistet „inimkaubandus” direktiivi 2011/36/EL "
            "artiklis 2 ja riigisiseses õiguses sätestatud tähenduses. Direktiiv 2011/36/EL "
            "käsitleb inimkaubanduse tõkestamist ja sellevastast võitlust ning inimkaubanduse "
            "ohvrite kaitset ning seda on muudetud direktiiviga (EL) 2024/1712.\n\n"
            "Võimalik ohver on isik, kelle puhul on märgatud inimkaubanduse tunnuseid, kuid "
            "neid ei ole veel hinnatud. Eeldatav ohver on isik, kelle puhul on põhjendatud "
            "alus arvata, et ta on inimkaubanduse ohver, kuid keda ei ole ametlikult "
            "tuvastatud või kes on ametlikust tuvastamisest keeldunud. Ametlikult tuvastatud "
            "ohver on isik, kelle pädev asutus on riigisisese õiguse alusel tunnistanud "
            "inimkaubanduse ohvriks.\n\n"
            "Laps on alla 18-aastane isik. Kui isiku vanus ei ole kindel ja on alust arvata, "
            "et ta on laps, eeldatakse, et ta on laps.",
        ),
        (
            "principles",
            "Põhimõtted",
            "Pooled lähtuvad järgmistest põhimõtetest.\n\n"
            "Abi on ohvrikeskne ja traumateadlik ning kohandatud isiku vanuse, soo, tausta ja "
            "vajadustega. Abi antakse kohe, kui on põhjendatud alus arvata, et isik on ohver, "
            "ning see ei sõltu isiku valmisolekust teha kriminaalmenetluses koostööd "
            "õiguskaitseasutustega. Ükski Pool ei keeldu abi andmisest ega viivita sellega "
            "põhjusel, et isik on üksnes võimalik või eeldatav ohver.\n\n"
            "Kõigi last puudutavate toimingute puhul seatakse esikohale lapse huvid; lapsele "
            "määratakse viivitamata eestkostja või esindaja ning kaasatakse "
            "lastekaitsetöötaja.\n\n"
            "Abi antakse ilma igasuguse diskrimineerimiseta, sealhulgas soo, sooidentiteedi, "
            "vanuse, etnilise päritolu, kodakondsuse, riigis viibimise aluse, seksuaalse "
            "sättumuse või puude alusel. Otsused tehakse isiku teadlikul nõusolekul, mis on "
            "antud talle arusaadavas keeles, vajaduse korral tõlgi abil.",
        ),
        (
            "roles",
            "Poolte ülesanded ja vastutus",
            "Iga Pool täidab ülesandeid oma seadusest tuleneva pädevuse piires ning vastutab "
            "talle määratud abiahela etappide eest allpool märgitud tähtaegade jooksul:\n\n"
            "{roles}\n\n"
            "Tähtaeg hakkab kulgema hetkest, mil vastutav Pool suunamise kätte saab. Kui Pool "
            "ei saa tähtajast kinni pidada või tal puudub vajalik suutlikkus, teavitab ta "
            "sellest viivitamata omavalitsuse inimkaubanduse vastase tegevuse koordinaatorit, "
            "et etapi saaks anda üle teisele Poolele või küsimuse eskaleerida.\n\n"
            "Pool võib suunamisest keelduda üksnes põhjust märkides. Iga Pool määrab oma "
            "etappide eest vastutavad töötajad ning tagab, et nad on kättesaadavad ja neil on "
            "vajalikud volitused.",
        ),
        (
            "referral",
            "Suunamise kord",
            "Pool, kes märkab võimalikku ohvrit, võtab viivitamata ühendust omavalitsuse "
            "kontaktpunktiga. Kui on vahetu oht elule või tervisele, helistab Pool esmalt "
            "hädaabinumbril 112. Kiireloomulised turvalisuse, majutuse ja arstiabi vajadused "
            "rahuldatakse 24 tunni jooksul.\n\n"
            "Suunamised saadetakse ja neile vastatakse süsteemis STROM; hädaolukorras "
            "telefoni teel tehtud suunamine registreeritakse süsteemis STROM hiljemalt "
            "järgmisel tööpäeval. Iga Pool on igal ajal kättesaadav järgmiste ööpäevaringsete "
            "kontaktisikute ja nende asendajate kaudu:\n\n"
            "{contacts}\n\n"
            "Iga Pool hoiab oma kontaktisikute, teenuste ja suutlikkuse kohta käiva teabe "
            "ajakohasena ning teatab muudatustest viivitamata.",
        ),
        (
            "information_sharing",
            "Teabe jagamine ja andmekaitse",
            "Isikuandmeid töödeldakse isikuandmete kaitse üldmääruse (edaspidi üldmäärus) "
            "artikli 6 lõike 1 punkti e ning artikli 9 lõike 2 punktide g ja h alusel, et "
            "täita Pooltele riigisisese õigusega pandud avalikke ülesandeid. Jagatakse üksnes "
            "neid andmeid, mis on asjaomase abietapi jaoks minimaalselt vajalikud.\n\n"
            "Iga teabe jagamine teise Poolega eeldab ohvri teadlikku nõusolekut, mille juures "
            "registreeritakse saaja, jagatav teave, eesmärk ja kehtivusaeg; lapse puhul on "
            "vaja seadusliku esindaja nõusolekut ja lapse enda nõustumist. Nõusoleku "
            "tagasivõtmine jõustub kohe. Abi ei sõltu kunagi nõusolekust: ilma selleta "
            "jagatakse üksnes viitekoodi, vajadusi, keelt ja kiireloomulisust.\n\n"
            "Pooled on üldmääruse artikli 26 tähenduses kaasvastutavad töötlejad; "
            "andmesubjektide kontaktpunkt on omavalitsuse sotsiaalosakond. Pooled kaitsevad "
            "andmeid pseudonüümitud viitekoodide, krüpteerimise ja juurdepääsulogide abil "
            "ning teatavad üksteisele isikuandmetega seotud igast rikkumisest põhjendamatu "
            "viivituseta.",
        ),
        (
            "confidentiality",
            "Konfidentsiaalsus",
            "Pooled hoiavad konfidentsiaalsena kogu käesoleva dokumendi alusel saadud teabe "
            "ohvrite ja nende juhtumite kohta, sealhulgas teabe ohvrite isiku ja asukoha ning "
            "turvaliste majutuskohtade aadresside kohta. Teavet avaldatakse üksnes "
            "töötajatele, kellele see on ülesannete täitmiseks vajalik, ja üksnes käesoleva "
            "dokumendi ja õigusaktidega lubatud ulatuses.\n\n"
            "Aruanded, statistika ja avalik teavitustöö sisaldavad üksnes koondandmeid ega "
            "võimalda kunagi ohvri isikut kindlaks teha.\n\n"
            "Konfidentsiaalsuskohustus kehtib iga Poole töötaja, vabatahtliku, tõlgi ja "
            "alltöövõtja suhtes, kes annavad kirjaliku konfidentsiaalsuskohustuse; see kehtib "
            "ka pärast nende töösuhte lõppemist ja käesoleva dokumendi kehtivuse lõppemist.",
        ),
        (
            "costs",
            "Kulud",
            "Iga Pool kannab käesoleva dokumendi täitmisega seotud kulud ise, kui Pooled ei "
            "ole kirjalikult kokku leppinud teisiti.\n\n"
            "Käesolev dokument ei too kaasa rahalisi kohustusi, mis ületavad Pooltele "
            "kinnitatud eelarveid. Kui Pooled lepivad kokku teatud teenuste, näiteks "
            "turvaliste majutuskohtade, suulise tõlke või transpordi rahastamises, sõlmivad "
            "nad eraldi kirjaliku lepingu kooskõlas nende suhtes kehtivate eelarve- ja "
            "riigihanke-eeskirjadega.\n\n"
            "Erimeelsus kulude üle ei lükka edasi ega katkesta ohvrile abi andmist.",
        ),
        (
            "training",
            "Koolitus",
            "Iga Pool tagab, et tema abiahelas osalevad töötajad on koolitatud ära tundma "
            "inimkaubanduse tunnuseid ning tunnevad käesolevas dokumendis sätestatud "
            "suunamise korda, ohvrikeskset ja traumateadlikku lähenemist, lapse õigusi ja "
            "andmekaitset.\n\n"
            "Omavalitsus korraldab Pooltele vähemalt kord aastas ühiskoolituse, kaasates "
            "vajaduse korral koolitajatena teiste Poolte spetsialiste. Uued töötajad saavad "
            "sissejuhatava koolituse enne esimese suunamise menetlemist.\n\n"
            "Pooled vahetavad koolitusmaterjale tasuta ja teavitavad üksteist enda "
            "korraldatud koolitustest, mis on avatud ka teistele.",
        ),
        (
            "monitoring",
            "Seire ja läbivaatamine",
            "Omavalitsuse inimkaubanduse vastase tegevuse koordinaator kutsub Pooled kokku "
            "vähemalt kaks korda aastas, et hinnata abiahela toimimist: suunamiste arvu, "
            "tähtaegadest kinnipidamist, puuduvaid teenuseid ja ilmnenud raskusi. Hindamisel "
            "kasutatakse üksnes koondandmeid ja mitte kunagi üksikute ohvrite andmeid.\n\n"
            "Pooled vaatavad käesoleva dokumendi tervikuna läbi hiljemalt {review_on} ning "
            "varem, kui riigisisene õigus või riiklik suunamismehhanism muutub.\n\n"
            "Käesoleva dokumendi muudatused, sealhulgas ülesannete ja tähtaegade muudatused, "
            "tehakse kirjalikult ja need allkirjastavad kõik Pooled; kontaktisiku "
            "vahetumisest teatatakse kirjalikult ja see ei nõua dokumendi muutmist.",
        ),
        (
            "disputes",
            "Vaidluste lahendamine",
            "Pooled lahendavad käesoleva dokumendi tõlgendamise või täitmisega seotud "
            "erimeelsused heas usus läbirääkimiste teel – kõigepealt asjaomaste "
            "kontaktisikute vahel ja seejärel Poolte juhtide vahel.\n\n"
            "Kui erimeelsust ei õnnestu lahendada 30 päeva jooksul, võib iga Pool paluda "
            "riiklikul inimkaubanduse vastase tegevuse koordinaatoril vahendada. Lahendamata "
            "vaidlused lahendatakse riigisiseses õiguses sätestatud korras.\n\n"
            "Poolte erimeelsused ei lükka kunagi edasi ega katkesta ohvrile abi andmist.",
        ),
        (
            "duration",
            "Kehtivus ja lõpetamine",
            "Käesolev dokument jõustub {effective_from} ja kehtib kuni {effective_until}. "
            "Pooled võivad selle kehtivust pikendada enne kehtivusaja lõppu sõlmitud "
            "kirjaliku kokkuleppega.\n\n"
            "Iga Pool võib oma osaluse lõpetada, teatades sellest teistele Pooltele "
            "kirjalikult kolm kuud ette. Ühe Poole väljaastumine ei mõjuta dokumendi "
            "kehtivust teiste Poolte vahel.\n\n"
            "Dokumendi kehtivuse lõppemisel või lõpetamisel viivad Pooled pooleliolevad "
            "suunamised lõpule või annavad need üle teisele Poolele, ilma et ohvritele antav "
            "abi katkeks. Konfidentsiaalsus- ja andmekaitsekohustused kehtivad ka pärast "
            "dokumendi kehtivuse lõppemist.",
        ),
        (
            "signatures",
            "Allkirjad",
            "Käesoleva dokumendi allkirjastavad Poolte ({parties}) volitatud esindajad "
            "digitaalselt või paberil nii mitmes eksemplaris, kui on Pooli; kõigil "
            "eksemplaridel on võrdne õiguslik jõud.",
        ),
    ],
    "ru": [
        (
            "purpose",
            "Цель и сфера применения",
            "Стороны ({parties}) заключают настоящий документ в целях создания быстрой и "
            "согласованной цепочки помощи потенциальным, предполагаемым и официально "
            "установленным жертвам торговли людьми. Территория действия документа: "
            "{municipality}.\n\n"
            "Цепочка помощи обеспечивает, чтобы каждое лицо, в отношении которого замечены "
            "признаки торговли людьми, было своевременно распознано, без промедления "
            "направлено к компетентной Стороне и получило безопасное размещение, медицинскую, "
            "психологическую, социальную и юридическую помощь, а также защиту в соответствии "
            "со своими индивидуальными потребностями.\n\n"
            "Документ распространяется на все случаи, которые Сторона выявляет или получает в "
            "ходе своей работы. Он дополняет национальный механизм перенаправления и не "
            "заменяет и не ограничивает установленные законом обязанности Сторон.",
        ),
        (
            "definitions",
            "Определения",
            "В настоящем документе торговля людьми понимается в значении, определенном в "
            "статье 2 Директивы 2011/36/ЕС о предотвращении торговли людьми, борьбе с ней и "
            "защите жертв с изменениями, внесенными Директивой (ЕС) 2024/1712, а также в "
            "национальном законодательстве.\n\n"
            "Потенциальная жертва – лицо, в отношении которого замечены признаки торговли "
            "людьми, но они еще не оценены. Предполагаемая жертва – лицо, в отношении "
            "которого имеются разумные основания полагать, что оно является жертвой торговли "
            "людьми, но которое официально не признано жертвой или отказалось от такого "
            "признания. Официально установленная жертва – лицо, которое компетентный орган в "
            "соответствии с национальным законодательством официально признал жертвой "
            "торговли людьми.\n\n"
            "Ребенок – лицо, не достигшее 18 лет. Если возраст лица точно не известен и есть "
            "основания полагать, что оно является ребенком, такое лицо считается ребенком.",
        ),
        (
            "principles",
            "Принципы",
            "Стороны руководствуются следующими принципами.\n\n"
            "Помощь ориентирована на жертву, учитывает пережитую травму и адаптирована к "
            "возрасту, полу, происхождению и потребностям лица. Она предоставляется, как "
            "только появляются разумные основания полагать, что лицо является жертвой, и не "
            "зависит от готовности лица сотрудничать с правоохранительными органами в "
            "уголовном процессе. Ни одна из Сторон не отказывает в помощи и не задерживает ее "
            "на том основании, что лицо является лишь потенциальной или предполагаемой "
            "жертвой.\n\n"
            "Во всех действиях, касающихся ребенка, первоочередное внимание уделяется "
            "наилучшим интересам ребенка; ребенку без промедления назначается опекун или "
            "представитель и привлекается орган по защите прав ребенка.\n\n"
            "Помощь предоставляется без какой-либо дискриминации, в том числе по признаку "
            "пола, гендерной идентичности, возраста, этнического происхождения, гражданства, "
            "миграционного статуса, сексуальной ориентации или инвалидности. Решения "
            "принимаются с информированного согласия лица, выраженного на понятном ему языке, "
            "при необходимости – с помощью переводчика.",
        ),
        (
            "roles",
            "Роли и обязанности Сторон",
            "Каждая Сторона выполняет задачи в пределах своей компетенции, установленной "
            "национальным законодательством, и отвечает за закрепленные за ней этапы цепочки "
            "помощи в указанные ниже сроки:\n\n"
            "{roles}\n\n"
            "Срок исчисляется с момента получения направления ответственной Стороной. Если "
            "Сторона не может соблюсти срок или не располагает необходимыми возможностями, "
            "она незамедлительно сообщает об этом координатору самоуправления по "
            "противодействию торговле людьми, чтобы этап был передан другой Стороне или "
            "вопрос был передан на более высокий уровень.\n\n"
            "Сторона может отклонить направление только с указанием причины. Каждая Сторона "
            "назначает сотрудников, ответственных за ее этапы, и обеспечивает их доступность "
            "и наличие у них необходимых полномочий.",
        ),
        (
            "referral",
            "Порядок перенаправления",
            "Сторона, заметившая потенциальную жертву, незамедлительно связывается с "
            "контактным пунктом самоуправления. При непосредственной угрозе жизни или "
            "здоровью Сторона прежде всего звонит по номеру экстренной помощи 112. Неотложные "
            "потребности в безопасности, размещении и медицинской помощи удовлетворяются в "
            "течение 24 часов.\n\n"
            "Направления передаются и рассматриваются в системе STROM; направление, сделанное "
            "по телефону в экстренном случае, регистрируется в системе STROM не позднее "
            "следующего рабочего дня. Каждая Сторона доступна в любое время через следующих "
            "круглосуточных контактных лиц и их заместителей:\n\n"
            "{contacts}\n\n"
            "Каждая Сторона поддерживает в актуальном состоянии сведения о своих контактных "
            "лицах, услугах и возможностях и незамедлительно сообщает об изменениях.",
        ),
        (
            "information_sharing",
            "Обмен информацией и защита данных",
            "Персональные данные обрабатываются на основании статьи 6(1)(e) и статьи 9(2)(g) "
            "и (h) Общего регламента по защите данных (GDPR) при выполнении публичных задач, "
            "возложенных на Стороны национальным законодательством. Передаются только те "
            "данные, которые минимально необходимы для соответствующего этапа помощи.\n\n"
            "Каждая передача информации другой Стороне требует информированного согласия "
            "жертвы, в котором фиксируются получатель, объем информации, цель и срок "
            "действия; в отношении ребенка требуется согласие его законного представителя и "
            "согласие самого ребенка. Отзыв согласия вступает в силу немедленно. Помощь "
            "никогда не зависит от согласия: без него передаются только код случая, "
            "потребности, язык и срочность.\n\n"
            "Стороны являются совместными контролерами в смысле статьи 26 GDPR; контактным "
            "пунктом для субъектов данных является социальная служба самоуправления. Стороны "
            "защищают данные с помощью псевдонимизированных кодов случаев, шифрования и "
            "журналов доступа и без неоправданной задержки уведомляют друг друга о любом "
            "нарушении защиты персональных данных.",
        ),
        (
            "confidentiality",
            "Конфиденциальность",
            "Стороны сохраняют конфиденциальность всей полученной в рамках настоящего "
            "документа информации о жертвах и их делах, включая сведения о личности и "
            "местонахождении жертв и адреса мест безопасного размещения. Информация "
            "раскрывается только тем сотрудникам, которым она необходима для выполнения их "
            "задач, и только в пределах, допускаемых настоящим документом и "
            "законодательством.\n\n"
            "Отчеты, статистика и публичные сообщения содержат только обобщенные данные и ни "
            "при каких обстоятельствах не позволяют установить личность жертвы.\n\n"
            "Обязанность соблюдать конфиденциальность распространяется на каждого сотрудника, "
            "волонтера, переводчика и субподрядчика Стороны, которые подписывают "
            "обязательство о неразглашении; она сохраняется и после прекращения их трудовых "
            "отношений и окончания срока действия настоящего документа.",
        ),
        (
            "costs",
            "Расходы",
            "Каждая Сторона несет собственные расходы, связанные с исполнением настоящего "
            "документа, если Стороны не договорятся об ином в письменной форме.\n\n"
            "Настоящий документ не создает финансовых обязательств сверх бюджетов, "
            "утвержденных для каждой Стороны. Если Стороны договариваются о финансировании "
            "отдельных услуг, например мест безопасного размещения, устного перевода или "
            "транспорта, они заключают отдельное письменное соглашение в соответствии с "
            "применимыми к ним правилами исполнения бюджета и публичных закупок.\n\n"
            "Разногласия по поводу расходов не задерживают и не прерывают оказание помощи "
            "жертве.",
        ),
        (
            "training",
            "Обучение",
            "Каждая Сторона обеспечивает, чтобы ее сотрудники, участвующие в цепочке помощи, "
            "были обучены распознавать признаки торговли людьми и знали установленный "
            "настоящим документом порядок перенаправления, подход, ориентированный на жертву "
            "и учитывающий травму, права ребенка и правила защиты данных.\n\n"
            "Самоуправление не реже одного раза в год организует совместное обучение Сторон, "
            "при необходимости привлекая в качестве преподавателей специалистов других "
            "Сторон. Новые сотрудники проходят вводное обучение до рассмотрения первого "
            "направления.\n\n"
            "Стороны безвозмездно обмениваются учебными материалами и информируют друг друга "
            "об организуемых ими обучающих мероприятиях, открытых для других участников.",
        ),
        (
            "monitoring",
            "Мониторинг и пересмотр",
            "Координатор самоуправления по противодействию торговле людьми не реже двух раз в "
            "год созывает Стороны для оценки работы цепочки помощи: количества направлений, "
            "соблюдения сроков, недостающих услуг и возникших трудностей. При оценке "
            "используются только обобщенные данные и никогда – данные об отдельных жертвах.\n\n"
            "Стороны пересматривают настоящий документ в целом не позднее {review_on}, а "
            "также ранее, если изменяется национальное законодательство или национальный "
            "механизм перенаправления.\n\n"
            "Изменения в настоящий документ, в том числе изменения ролей и сроков, вносятся в "
            "письменной форме и подписываются всеми Сторонами; о смене контактного лица "
            "сообщается в письменной форме, и она не требует внесения изменений в документ.",
        ),
        (
            "disputes",
            "Разрешение споров",
            "Стороны разрешают разногласия относительно толкования или исполнения настоящего "
            "документа путем добросовестных переговоров – сначала между соответствующими "
            "контактными лицами, затем между руководителями Сторон.\n\n"
            "Если разногласие не удается урегулировать в течение 30 дней, любая из Сторон "
            "может обратиться к национальному координатору по противодействию торговле людьми "
            "с просьбой о посредничестве. Неурегулированные споры разрешаются в порядке, "
            "установленном национальным законодательством.\n\n"
            "Разногласия между Сторонами ни при каких обстоятельствах не задерживают и не "
            "прерывают оказание помощи жертве.",
        ),
        (
            "duration",
            "Срок действия и прекращение",
            "Настоящий документ вступает в силу {effective_from} и действует до "
            "{effective_until}. Стороны могут продлить срок его действия письменным "
            "соглашением, заключенным до истечения срока действия документа.\n\n"
            "Любая Сторона может прекратить свое участие, письменно уведомив об этом другие "
            "Стороны за три месяца. Выход одной Стороны не влияет на действие документа в "
            "отношениях между остальными Сторонами.\n\n"
            "При истечении срока действия или прекращении документа Стороны завершают начатые "
            "направления или передают их другой Стороне, не прерывая помощь жертвам. "
            "Обязательства по соблюдению конфиденциальности и защите данных сохраняют силу и "
            "после прекращения действия документа.",
        ),
        (
            "signatures",
            "Подписи",
            "Настоящий документ подписывается уполномоченными представителями Сторон "
            "({parties}) квалифицированными электронными подписями или на бумаге в количестве "
            "экземпляров, равном числу Сторон; все экземпляры имеют одинаковую юридическую "
            "силу.",
        ),
    ],
}

LABELS = {
    "en": {
        "parties": "Parties",
        "party": "Party",
        "mandate": "Kind of organisation",
        "signatory": "Signatory",
        "contact_24_7": "24/7 contact",
        "deputy": "Deputy",
        "signature": "Signature",
        "date": "Date",
        "page": "Page",
        "of": "of",
        "version": "Version",
        "number": "Agreement number",
        "effective_from": "In force from",
        "effective_until": "until",
        "review_on": "Review date",
        "clause": "Clause",
        "draft": "DRAFT – not signed",
        "contents": "Contents",
        "step": "Step",
        "owner": "Responsible party",
        "limit": "Time limit",
        "hours": "hours",
        "working_days": "working days",
        "no_roles": "No step of the referral pathway is assigned to a party yet.",
        "no_contacts": "No 24/7 contact has been named yet.",
    },
    "lv": {
        "parties": "Puses",
        "party": "Puse",
        "mandate": "Organizācijas veids",
        "signatory": "Parakstītājs",
        "contact_24_7": "Diennakts kontakts",
        "deputy": "Aizvietotājs",
        "signature": "Paraksts",
        "date": "Datums",
        "page": "Lappuse",
        "of": "no",
        "version": "Versija",
        "number": "Līguma numurs",
        "effective_from": "Spēkā no",
        "effective_until": "līdz",
        "review_on": "Pārskatīšanas datums",
        "clause": "Punkts",
        "draft": "PROJEKTS – nav parakstīts",
        "contents": "Saturs",
        "step": "Posms",
        "owner": "Atbildīgā puse",
        "limit": "Termiņš",
        "hours": "stundas",
        "working_days": "darba dienas",
        "no_roles": "Neviens nosūtīšanas maršruta posms vēl nav uzticēts nevienai pusei.",
        "no_contacts": "Diennakts kontaktpersona vēl nav norādīta.",
    },
    "lt": {
        "parties": "Šalys",
        "party": "Šalis",
        "mandate": "Organizacijos rūšis",
        "signatory": "Pasirašantis asmuo",
        "contact_24_7": "Kontaktas visą parą",
        "deputy": "Pavaduojantis asmuo",
        "signature": "Parašas",
        "date": "Data",
        "page": "Puslapis",
        "of": "iš",
        "version": "Versija",
        "number": "Sutarties numeris",
        "effective_from": "Galioja nuo",
        "effective_until": "iki",
        "review_on": "Peržiūros data",
        "clause": "Punktas",
        "draft": "PROJEKTAS – nepasirašyta",
        "contents": "Turinys",
        "step": "Etapas",
        "owner": "Atsakinga šalis",
        "limit": "Terminas",
        "hours": "val.",
        "working_days": "darbo d.",
        "no_roles": "Nė vienas nukreipimo maršruto etapas dar nepriskirtas jokiai šaliai.",
        "no_contacts": "Visą parą pasiekiamas kontaktinis asmuo dar nenurodytas.",
    },
    "et": {
        "parties": "Pooled",
        "party": "Pool",
        "mandate": "Organisatsiooni liik",
        "signatory": "Allkirjastaja",
        "contact_24_7": "Ööpäevaringne kontakt",
        "deputy": "Asendaja",
        "signature": "Allkiri",
        "date": "Kuupäev",
        "page": "Lehekülg",
        "of": "/",
        "version": "Versioon",
        "number": "Lepingu number",
        "effective_from": "Kehtib alates",
        "effective_until": "kuni",
        "review_on": "Läbivaatamise kuupäev",
        "clause": "Punkt",
        "draft": "KAVAND – allkirjastamata",
        "contents": "Sisukord",
        "step": "Etapp",
        "owner": "Vastutav pool",
        "limit": "Tähtaeg",
        "hours": "tundi",
        "working_days": "tööpäeva",
        "no_roles": "Ühtegi suunamiskorra etappi ei ole veel ühelegi poolele määratud.",
        "no_contacts": "Ööpäevaringset kontaktisikut ei ole veel määratud.",
    },
    "ru": {
        "parties": "Стороны",
        "party": "Сторона",
        "mandate": "Вид организации",
        "signatory": "Подписант",
        "contact_24_7": "Круглосуточный контакт",
        "deputy": "Заместитель",
        "signature": "Подпись",
        "date": "Дата",
        "page": "Страница",
        "of": "из",
        "version": "Версия",
        "number": "Номер соглашения",
        "effective_from": "Действует с",
        "effective_until": "по",
        "review_on": "Дата пересмотра",
        "clause": "Пункт",
        "draft": "ПРОЕКТ – не подписан",
        "contents": "Содержание",
        "step": "Этап",
        "owner": "Ответственная сторона",
        "limit": "Срок",
        "hours": "ч",
        "working_days": "раб. дн.",
        "no_roles": (
            "Ни один этап маршрута перенаправления пока не закреплен ни за одной из сторон."
        ),
        "no_contacts": "Круглосуточное контактное лицо пока не назначено.",
    },
}

KIND_TITLES = {
    "en": {
        "mou": "Memorandum of Understanding",
        "agreement": "Cooperation agreement",
    },
    "lv": {
        "mou": "Saprašanās memorands",
        "agreement": "Sadarbības līgums",
    },
    "lt": {
        "mou": "Susitarimo memorandumas",
        "agreement": "Bendradarbiavimo sutartis",
    },
    "et": {
        "mou": "Vastastikuse mõistmise memorandum",
        "agreement": "Koostööleping",
    },
    "ru": {
        "mou": "Меморандум о взаимопонимании",
        "agreement": "Соглашение о сотрудничестве",
    },
}
