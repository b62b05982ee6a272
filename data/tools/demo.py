"""Builds the demo dataset (data/demo/venezia.geojson) and the gazetteer (data/gazetteer.json).

Honesty rules: real institutions appear only with facts we are sure of (name, comune, kind of
service); street addresses and phone numbers of real offices are left out rather than guessed;
positions are approximate town-centre points. Every other organisation is plainly fictional
(`fictional: true`, "(fittizia)" in its name). The only phone numbers are the national 1522
anti-violence and 800 290 290 anti-trafficking helplines.

Run from the repository root: python3 data/tools/demo.py ../shared/data/istat-boundaries/limits_P_27_municipalities.geojson
(the boundaries are read to check that every point lies in its comune; they are not copied).
"""
import json, pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from demo_services import TEMPLATES

ROOT = pathlib.Path(__file__).resolve().parent.parent
VERIFIED = "2026-10-15T00:00:00Z"

ORGS = [
    # id, name, kind, fictional, description (it, en)
    ("org-questura-venezia", "Questura di Venezia", "public", False, ("Ufficio immigrazione della Polizia di Stato per la provincia di Venezia.", "State Police immigration office for the province of Venice.")),
    ("org-prefettura-venezia", "Prefettura di Venezia – Ufficio Territoriale del Governo", "public", False, ("Rappresenta il Governo sul territorio; ospita lo Sportello Unico per l'Immigrazione.", "Represents the national government locally; runs the one-stop immigration desk.")),
    ("org-comune-venezia", "Comune di Venezia", "public", False, ("Servizi comunali, tra cui il servizio immigrazione e i servizi sociali.", "Municipal services, including the immigration service and social services.")),
    ("org-comune-chioggia", "Comune di Chioggia", "public", False, ("Servizi sociali e scolastici del Comune.", "The council's social and school services.")),
    ("org-comune-san-dona", "Comune di San Donà di Piave", "public", False, ("Servizi sociali e casa del Comune.", "The council's social and housing services.")),
    ("org-comune-portogruaro", "Comune di Portogruaro", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-mira", "Comune di Mira", "public", False, ("Servizi sociali e scolastici del Comune.", "The council's social and school services.")),
    ("org-comune-mirano", "Comune di Mirano", "public", False, ("Servizi del Comune per cittadine e cittadini stranieri.", "The council's services for foreign residents.")),
    ("org-comune-dolo", "Comune di Dolo", "public", False, ("Servizi sociali e casa del Comune.", "The council's social and housing services.")),
    ("org-comune-spinea", "Comune di Spinea", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-jesolo", "Comune di Jesolo", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-martellago", "Comune di Martellago", "public", False, ("Servizi sociali e scolastici del Comune.", "The council's social and school services.")),
    ("org-comune-cavarzere", "Comune di Cavarzere", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-eraclea", "Comune di Eraclea", "public", False, ("Servizi del Comune per la cittadinanza.", "The council's services for residents.")),
    ("org-comune-caorle", "Comune di Caorle", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-musile", "Comune di Musile di Piave", "public", False, ("Servizi sociali del Comune.", "The council's social services.")),
    ("org-comune-cona", "Comune di Cona", "public", False, ("Comune partner del progetto CapaCityMetro.", "A partner municipality of the CapaCityMetro project.")),
    ("org-cpia-venezia", "CPIA di Venezia – Centro Provinciale per l'Istruzione degli Adulti", "school", False, ("Scuola statale per adulti: italiano per stranieri e percorsi di primo livello.", "State school for adults: Italian for foreigners and lower-secondary courses.")),
    ("org-veneto-lavoro", "Veneto Lavoro – Centri per l'Impiego", "public", False, ("Rete regionale dei Centri per l'Impiego.", "The regional network of public job centres.")),
    ("org-ulss3", "Azienda ULSS 3 Serenissima", "health", False, ("Azienda sanitaria dell'area di Venezia, Chioggia, Mirano e Dolo.", "Health authority for the Venice, Chioggia, Mirano and Dolo area.")),
    ("org-ulss4", "Azienda ULSS 4 Veneto Orientale", "health", False, ("Azienda sanitaria del Veneto orientale (San Donà, Portogruaro, Jesolo).", "Health authority for eastern Veneto (San Donà, Portogruaro, Jesolo).")),
    ("org-cgil-venezia", "CGIL Venezia – Patronato INCA", "union", False, ("Sindacato e patronato: diritti del lavoro e pratiche amministrative.", "Trade union and welfare advice office: work rights and paperwork.")),
    ("org-caritas-veneziana", "Caritas Veneziana", "ngo", False, ("Organismo pastorale della Diocesi di Venezia per la carità e l'accoglienza.", "The Diocese of Venice's charity and reception body.")),
    ("org-emergency", "EMERGENCY ONG Onlus", "ngo", False, ("Organizzazione umanitaria che offre cure mediche gratuite.", "Humanitarian organisation providing free medical care.")),
    ("org-unive", "Università Ca' Foscari Venezia", "school", False, ("Università pubblica di Venezia.", "Venice's public university.")),
    ("org-cciaa-venezia-rovigo", "Camera di Commercio di Venezia Rovigo", "public", False, ("Registro delle imprese e servizi alle imprese.", "Business register and services to businesses.")),
    ("org-iuav", "Università Iuav di Venezia", "school", False, ("Università; sede della Cattedra UNESCO SSIIM.", "University; home of the UNESCO Chair SSIIM.")),
    ("org-regione-veneto", "Regione del Veneto", "public", False, ("Amministrazione regionale.", "Regional government.")),
    ("org-prefettura-padova", "Prefettura di Padova – Ufficio Territoriale del Governo", "public", False, ("Rappresenta il Governo nella provincia di Padova.", "Represents the national government in the province of Padua.")),
    ("org-enm", "Ente Nazionale per il Microcredito", "public", False, ("Ente pubblico nazionale per il microcredito e la microfinanza.", "National public body for microcredit and microfinance.")),
    ("org-prefettura-massa-carrara", "Prefettura di Massa-Carrara – Ufficio Territoriale del Governo", "public", False, ("Rappresenta il Governo nella provincia di Massa-Carrara.", "Represents the national government in the province of Massa-Carrara.")),
    ("org-ponte-aperto", "Associazione Ponte Aperto (fittizia)", "ngo", True, ("Associazione inventata per i dati dimostrativi: sportelli legali e lavoro.", "An invented association for the demo data: legal and work desks.")),
    ("org-approdo", "Cooperativa sociale Approdo (fittizia)", "ngo", True, ("Cooperativa inventata per i dati dimostrativi: accoglienza e mediazione.", "An invented co-operative for the demo data: reception and mediation.")),
    ("org-voci-mondo", "Associazione Voci del Mondo (fittizia)", "ngo", True, ("Associazione inventata per i dati dimostrativi: scuole di italiano.", "An invented association for the demo data: Italian schools.")),
    ("org-casa-comune", "Associazione Casa Comune (fittizia)", "ngo", True, ("Associazione inventata per i dati dimostrativi: sportelli casa.", "An invented association for the demo data: housing desks.")),
    ("org-rete-solidale", "Rete Solidale Laguna (fittizia)", "ngo", True, ("Rete inventata per i dati dimostrativi: aiuti materiali.", "An invented network for the demo data: material aid.")),
    ("org-compiti-insieme", "Associazione Compiti Insieme (fittizia)", "ngo", True, ("Associazione inventata per i dati dimostrativi: doposcuola.", "An invented association for the demo data: homework clubs.")),
    ("org-faro-verde", "Cooperativa Il Faro Verde (fittizia)", "ngo", True, ("Cooperativa inventata per i dati dimostrativi: microcredito.", "An invented co-operative for the demo data: microcredit.")),
    ("org-diritti-in-rete", "Studio associativo Diritti in Rete (fittizio)", "ngo", True, ("Studio inventato per i dati dimostrativi: consulenza legale.", "An invented practice for the demo data: legal advice.")),
    ("org-filo-rosa", "Associazione Filo Rosa (fittizia)", "ngo", True, ("Associazione inventata per i dati dimostrativi: sostegno alle donne.", "An invented association for the demo data: support for women.")),
]

# Comuni: ISTAT code, postcode.
C = {
    "venezia": ("027042", "30121"), "mestre": ("027042", "30171"), "marghera": ("027042", "30175"), "lido": ("027042", "30126"),
    "chioggia": ("027008", "30015"), "sandona": ("027033", "30027"), "portogruaro": ("027029", "30026"),
    "mira": ("027023", "30034"), "mirano": ("027024", "30035"), "dolo": ("027012", "30031"), "spinea": ("027038", "30038"),
    "jesolo": ("027019", "30016"), "martellago": ("027021", "30030"), "noale": ("027026", "30033"), "scorze": ("027037", "30037"),
    "cavarzere": ("027006", "30014"), "eraclea": ("027013", "30020"), "cona": ("027010", "30010"), "sala": ("027035", "30036"),
    "caorle": ("027005", "30021"), "marcon": ("027020", "30020"), "sanmichele": ("027034", "30028"), "camponogara": ("027004", "30010"),
    "musile": ("027025", "30024"),
}

HOURS = {
    "permit-questura": "Mo-Fr 08:30-12:30; Tu,Th 14:30-16:30", "permit-sui": "Mo,We,Fr 09:00-12:00",
    "permit-kit-help": "Tu,Th 15:00-18:00; Sa 09:30-12:30", "citizenship-info": "Mo,We 09:00-12:30",
    "cpia-italian": "Mo-Th 09:00-12:00,18:00-21:00", "cpia-diploma": "Mo-Fr 18:00-21:00",
    "italian-volunteer": "Tu,Th 17:30-19:30; Sa 10:00-12:00", "italian-university": "Mo-Fr 10:00-13:00",
    "job-centre": "Mo-Fr 09:00-12:30; Tu 14:30-16:30", "job-ngo": "We 14:00-18:00; Fr 09:00-12:00",
    "union-rights": "Mo-Fr 08:30-12:30,14:30-18:00", "health-stp": "Mo,We,Fr 08:30-11:30",
    "health-registration": "Mo-Fr 08:30-12:30; Th 14:00-16:30", "health-women": "Mo-Fr 09:00-13:00; Tu,Th 14:00-17:00",
    "housing-desk": "Tu 15:00-18:00; Fr 10:00-12:00", "legal-asylum": "Mo 15:00-18:00; Th 10:00-13:00",
    "legal-general": "We 16:00-19:00", "school-enrol": "Mo-Fr 09:00-12:00; We 15:00-17:00",
    "homework": "Mo-Th 14:30-17:30", "microcredit": "Tu,Th 09:30-13:00", "chamber-business": "Mo-Fr 09:00-12:30",
    "mediation": "Mo-Fr 09:00-13:00,14:00-17:00", "reception-night": "Mo-Su 00:00-08:00,19:00-24:00",
    "reception-info": "Mo-Sa 09:00-13:00", "antiviolence": "Mo-Fr 09:00-18:00", "antitrafficking": "Mo-Su 00:00-24:00",
    "social-secretariat": "Mo,We,Fr 09:00-12:00; Tu 15:00-17:30", "food-clothes": "We 15:00-18:00; Sa 09:00-12:00",
}
SUMMER_CLOSED = {"cpia-italian", "cpia-diploma", "homework", "italian-volunteer"}
ALWAYS_OPEN = {"reception-night", "antitrafficking"}
# Services shared by several sportelli (the same service offered at several places).
SHARED = {"cpia-italian": "svc-cpia-venezia-italiano", "cpia-diploma": "svc-cpia-venezia-primo-livello",
          "job-centre": "svc-cpi-iscrizione-orientamento"}
SHARED_ORG = {"cpia-italian": "org-cpia-venezia", "cpia-diploma": "org-cpia-venezia", "job-centre": "org-veneto-lavoro"}

S = []
def sp(slug, org, place, lon, lat, it, en, services, locality=None, **extra):
    S.append(dict(slug=slug, org=org, place=place, lon=lon, lat=lat, it=it, en=en, services=services,
                  locality=locality, **extra))

# --- Venezia (historic centre, Mestre, Marghera, Lido, Favaro, Chirignago)
sp("questura-venezia-immigrazione", "org-questura-venezia", "marghera", 12.2268, 45.4686, "Questura di Venezia – Ufficio Immigrazione", "Venice Police Headquarters – Immigration Office", ["permit-questura"], "Marghera")
sp("prefettura-venezia-sui", "org-prefettura-venezia", "venezia", 12.3318, 45.4338, "Prefettura di Venezia – Sportello Unico per l'Immigrazione", "Prefecture of Venice – One-stop immigration desk", ["permit-sui"], "San Marco")
sp("comune-venezia-immigrazione", "org-comune-venezia", "mestre", 12.2405, 45.4928, "Comune di Venezia – Servizio Immigrazione", "City of Venice – Immigration Service", ["citizenship-info", "reception-info", "mediation"], "Mestre")
sp("cpia-venezia-mestre", "org-cpia-venezia", "mestre", 12.2352, 45.4862, "CPIA di Venezia – sede di Mestre", "CPIA Venice – Mestre site", ["cpia-italian", "cpia-diploma"], "Mestre")
sp("cpia-venezia-centro-storico", "org-cpia-venezia", "venezia", 12.3296, 45.4402, "CPIA di Venezia – punto di Venezia centro storico", "CPIA Venice – historic centre", ["cpia-italian"], "Cannaregio")
sp("cpi-venezia", "org-veneto-lavoro", "mestre", 12.2328, 45.4803, "Centro per l'Impiego di Venezia", "Venice Job Centre", ["job-centre"], "Mestre")
sp("ulss3-mestre-angelo", "org-ulss3", "mestre", 12.2589, 45.5062, "Ospedale dell'Angelo – ambulatorio STP/ENI", "Ospedale dell'Angelo – STP/ENI clinic", ["health-stp"], "Zelarino")
sp("ulss3-distretto-mestre", "org-ulss3", "mestre", 12.2442, 45.4951, "ULSS 3 – Distretto di Mestre", "ULSS 3 – Mestre health district", ["health-registration", "health-women"], "Mestre")
sp("emergency-marghera", "org-emergency", "marghera", 12.2148, 45.4722, "EMERGENCY – Poliambulatorio di Marghera", "EMERGENCY – Marghera outpatient clinic", ["health-stp", "mediation"], "Marghera")
sp("caritas-mestre", "org-caritas-veneziana", "mestre", 12.2458, 45.4883, "Caritas Veneziana – accoglienza di Mestre", "Caritas Veneziana – Mestre reception", ["reception-night", "food-clothes"], "Mestre")
sp("comune-venezia-antiviolenza", "org-comune-venezia", "mestre", 12.2391, 45.4962, "Comune di Venezia – Centro Antiviolenza", "City of Venice – Anti-violence Centre", ["antiviolence"], "Mestre", phones=[("1522", {"it": "Numero nazionale antiviolenza, 24 ore su 24", "en": "National anti-violence helpline, 24 hours"})])
sp("comune-venezia-antitratta", "org-comune-venezia", "mestre", 12.2366, 45.4914, "Comune di Venezia – Servizio antitratta", "City of Venice – Anti-trafficking service", ["antitrafficking"], "Mestre", phones=[("800 290 290", {"it": "Numero verde antitratta, gratuito e anonimo", "en": "Anti-trafficking freephone, free and anonymous"})])
sp("cgil-mestre", "org-cgil-venezia", "mestre", 12.2301, 45.4879, "CGIL – Patronato INCA di Mestre", "CGIL – INCA advice office, Mestre", ["union-rights", "permit-kit-help"], "Mestre")
sp("unive-italiano", "org-unive", "venezia", 12.3262, 45.4346, "Ca' Foscari – corsi di italiano per stranieri", "Ca' Foscari – Italian courses for foreigners", ["italian-university"], "Dorsoduro")
sp("cciaa-venezia", "org-cciaa-venezia-rovigo", "mestre", 12.2468, 45.4931, "Camera di Commercio – sportello nuove imprese", "Chamber of Commerce – new business desk", ["chamber-business"], "Mestre")
sp("ponte-aperto-mestre", "org-ponte-aperto", "mestre", 12.2419, 45.4872, "Ponte Aperto – sportello di Mestre (fittizio)", "Ponte Aperto – Mestre desk (fictional)", ["legal-asylum", "job-ngo"], "Mestre")
sp("approdo-marghera", "org-approdo", "marghera", 12.2201, 45.4662, "Approdo – centro servizi di Marghera (fittizio)", "Approdo – Marghera service centre (fictional)", ["mediation", "reception-info"], "Marghera")
sp("voci-mondo-lido", "org-voci-mondo", "lido", 12.3628, 45.4168, "Voci del Mondo – scuola di italiano del Lido (fittizia)", "Voci del Mondo – Lido Italian school (fictional)", ["italian-volunteer"], "Lido")
sp("casa-comune-mestre", "org-casa-comune", "mestre", 12.2338, 45.4948, "Casa Comune – sportello casa di Mestre (fittizio)", "Casa Comune – Mestre housing desk (fictional)", ["housing-desk"], "Mestre", draft_extra=True)
sp("rete-solidale-favaro", "org-rete-solidale", "mestre", 12.2879, 45.5081, "Rete Solidale – emporio di Favaro (fittizio)", "Rete Solidale – Favaro community shop (fictional)", ["food-clothes"], "Favaro Veneto")
sp("compiti-insieme-chirignago", "org-compiti-insieme", "mestre", 12.1958, 45.4829, "Compiti Insieme – doposcuola di Chirignago (fittizio)", "Compiti Insieme – Chirignago homework club (fictional)", ["homework"], "Chirignago")
sp("comune-venezia-sociale-mestre", "org-comune-venezia", "mestre", 12.2399, 45.4899, "Comune di Venezia – servizi sociali e scuola", "City of Venice – social and school services", ["social-secretariat", "school-enrol"], "Mestre")
sp("faro-verde-mestre", "org-faro-verde", "mestre", 12.2281, 45.4921, "Il Faro Verde – sportello microcredito (fittizio)", "Il Faro Verde – microcredit desk (fictional)", ["microcredit"], "Mestre", draft_extra=True)
sp("diritti-in-rete-venezia", "org-diritti-in-rete", "venezia", 12.3379, 45.4391, "Diritti in Rete – sportello di Venezia (fittizio)", "Diritti in Rete – Venice desk (fictional)", ["legal-general"], "Castello")
sp("comune-venezia-vecchio-sportello", "org-comune-venezia", "mestre", 12.2374, 45.4934, "Comune di Venezia – vecchio sportello (chiuso)", "City of Venice – former desk (closed)", ["social-secretariat"], "Mestre", status="archived")
# --- Chioggia
sp("cpia-chioggia", "org-cpia-venezia", "chioggia", 12.2791, 45.2199, "CPIA di Venezia – sede di Chioggia", "CPIA Venice – Chioggia site", ["cpia-italian", "cpia-diploma"])
sp("cpi-chioggia", "org-veneto-lavoro", "chioggia", 12.2801, 45.2179, "Centro per l'Impiego di Chioggia", "Chioggia Job Centre", ["job-centre"])
sp("comune-chioggia-sociale", "org-comune-chioggia", "chioggia", 12.2786, 45.2189, "Comune di Chioggia – servizi sociali e scuola", "Chioggia council – social and school services", ["social-secretariat", "school-enrol"])
sp("ulss3-chioggia", "org-ulss3", "chioggia", 12.2858, 45.2124, "ULSS 3 – Distretto di Chioggia", "ULSS 3 – Chioggia health district", ["health-registration", "health-stp"])
sp("ponte-aperto-sottomarina", "org-ponte-aperto", "chioggia", 12.2988, 45.2102, "Ponte Aperto – sportello di Sottomarina (fittizio)", "Ponte Aperto – Sottomarina desk (fictional)", ["legal-asylum", "permit-kit-help"], "Sottomarina")
sp("filo-rosa-chioggia", "org-filo-rosa", "chioggia", 12.2771, 45.2231, "Filo Rosa – punto donna di Chioggia (fittizio)", "Filo Rosa – Chioggia women's point (fictional)", ["antiviolence"], phones=[("1522", {"it": "Numero nazionale antiviolenza, 24 ore su 24", "en": "National anti-violence helpline, 24 hours"})])
# --- San Donà di Piave
sp("cpia-san-dona", "org-cpia-venezia", "sandona", 12.5651, 45.6311, "CPIA di Venezia – sede di San Donà di Piave", "CPIA Venice – San Donà di Piave site", ["cpia-italian"])
sp("cpi-san-dona", "org-veneto-lavoro", "sandona", 12.5681, 45.6291, "Centro per l'Impiego di San Donà di Piave", "San Donà di Piave Job Centre", ["job-centre"])
sp("ulss4-san-dona", "org-ulss4", "sandona", 12.5702, 45.6268, "ULSS 4 – Distretto di San Donà di Piave", "ULSS 4 – San Donà di Piave health district", ["health-registration", "health-women", "health-stp"])
sp("comune-san-dona-sociale", "org-comune-san-dona", "sandona", 12.5662, 45.6301, "Comune di San Donà di Piave – sociale e casa", "San Donà di Piave council – social and housing", ["social-secretariat", "housing-desk"])
sp("approdo-san-dona", "org-approdo", "sandona", 12.5631, 45.6322, "Approdo – sportello di San Donà (fittizio)", "Approdo – San Donà desk (fictional)", ["mediation", "reception-info", "legal-asylum"])
sp("faro-verde-san-dona", "org-faro-verde", "sandona", 12.5692, 45.6331, "Il Faro Verde – microcredito San Donà (fittizio)", "Il Faro Verde – San Donà microcredit (fictional)", ["microcredit"])
# --- Portogruaro
sp("cpia-portogruaro", "org-cpia-venezia", "portogruaro", 12.8371, 45.7771, "CPIA di Venezia – sede di Portogruaro", "CPIA Venice – Portogruaro site", ["cpia-italian", "cpia-diploma"])
sp("cpi-portogruaro", "org-veneto-lavoro", "portogruaro", 12.8352, 45.7789, "Centro per l'Impiego di Portogruaro", "Portogruaro Job Centre", ["job-centre"])
sp("ulss4-portogruaro", "org-ulss4", "portogruaro", 12.8402, 45.7751, "ULSS 4 – Distretto di Portogruaro", "ULSS 4 – Portogruaro health district", ["health-registration", "health-stp"])
sp("comune-portogruaro-sociale", "org-comune-portogruaro", "portogruaro", 12.8381, 45.7762, "Comune di Portogruaro – servizi sociali", "Portogruaro council – social services", ["social-secretariat"])
sp("diritti-in-rete-portogruaro", "org-diritti-in-rete", "portogruaro", 12.8361, 45.7781, "Diritti in Rete – sportello di Portogruaro (fittizio)", "Diritti in Rete – Portogruaro desk (fictional)", ["legal-general", "permit-kit-help"])
# --- Riviera del Brenta and Miranese
sp("comune-mira-sociale", "org-comune-mira", "mira", 12.1331, 45.4371, "Comune di Mira – servizi sociali e scuola", "Mira council – social and school services", ["social-secretariat", "school-enrol"], "Mira Porte")
sp("voci-mondo-oriago", "org-voci-mondo", "mira", 12.1759, 45.4531, "Voci del Mondo – scuola di Oriago (fittizia)", "Voci del Mondo – Oriago school (fictional)", ["italian-volunteer", "homework"], "Oriago")
sp("cpia-mirano", "org-cpia-venezia", "mirano", 12.1091, 45.4941, "CPIA di Venezia – sede di Mirano", "CPIA Venice – Mirano site", ["cpia-italian"])
sp("cpi-mirano", "org-veneto-lavoro", "mirano", 12.1101, 45.4962, "Centro per l'Impiego di Mirano", "Mirano Job Centre", ["job-centre"])
sp("ulss3-mirano", "org-ulss3", "mirano", 12.1049, 45.4918, "ULSS 3 – Distretto di Mirano", "ULSS 3 – Mirano health district", ["health-registration", "health-women"])
sp("comune-mirano-stranieri", "org-comune-mirano", "mirano", 12.1079, 45.4932, "Comune di Mirano – sportello stranieri", "Mirano council – desk for foreign residents", ["permit-kit-help", "mediation"])
sp("cpi-dolo", "org-veneto-lavoro", "dolo", 12.0761, 45.4241, "Centro per l'Impiego di Dolo", "Dolo Job Centre", ["job-centre"])
sp("ulss3-dolo", "org-ulss3", "dolo", 12.0779, 45.4222, "ULSS 3 – Ospedale di Dolo, ambulatorio STP/ENI", "ULSS 3 – Dolo hospital, STP/ENI clinic", ["health-stp"])
sp("comune-dolo-sociale", "org-comune-dolo", "dolo", 12.0751, 45.4251, "Comune di Dolo – sociale e casa", "Dolo council – social and housing", ["social-secretariat", "housing-desk"])
sp("cpia-dolo", "org-cpia-venezia", "dolo", 12.0769, 45.4262, "CPIA di Venezia – punto di Dolo", "CPIA Venice – Dolo point", ["cpia-italian"])
sp("comune-spinea-sociale", "org-comune-spinea", "spinea", 12.1601, 45.4921, "Comune di Spinea – servizi sociali", "Spinea council – social services", ["social-secretariat"])
sp("casa-comune-spinea", "org-casa-comune", "spinea", 12.1621, 45.4909, "Casa Comune – sportello di Spinea (fittizio)", "Casa Comune – Spinea desk (fictional)", ["housing-desk", "legal-general"])
sp("comune-martellago-sociale", "org-comune-martellago", "martellago", 12.1581, 45.5461, "Comune di Martellago – servizi sociali e scuola", "Martellago council – social and school services", ["social-secretariat", "school-enrol"])
sp("voci-mondo-noale", "org-voci-mondo", "noale", 12.0701, 45.5501, "Voci del Mondo – scuola di Noale (fittizia)", "Voci del Mondo – Noale school (fictional)", ["italian-volunteer"])
sp("rete-solidale-scorze", "org-rete-solidale", "scorze", 12.1091, 45.5721, "Rete Solidale – punto di Scorzè (fittizio)", "Rete Solidale – Scorzè point (fictional)", ["food-clothes"])
sp("compiti-insieme-sala", "org-compiti-insieme", "sala", 12.0381, 45.5081, "Compiti Insieme – doposcuola di Santa Maria di Sala (fittizio)", "Compiti Insieme – Santa Maria di Sala homework club (fictional)", ["homework"])
sp("rete-solidale-camponogara", "org-rete-solidale", "camponogara", 12.0731, 45.3831, "Rete Solidale – punto di Camponogara (fittizio)", "Rete Solidale – Camponogara point (fictional)", ["food-clothes"])
# --- South and east
sp("comune-cavarzere-sociale", "org-comune-cavarzere", "cavarzere", 12.0831, 45.1371, "Comune di Cavarzere – servizi sociali", "Cavarzere council – social services", ["social-secretariat"])
sp("ponte-aperto-cavarzere", "org-ponte-aperto", "cavarzere", 12.0842, 45.1381, "Ponte Aperto – sportello di Cavarzere (fittizio)", "Ponte Aperto – Cavarzere desk (fictional)", ["legal-general", "job-ngo"])
sp("approdo-cona", "org-approdo", "cona", 12.0281, 45.1921, "Approdo – sportello di Cona (fittizio)", "Approdo – Cona desk (fictional)", ["reception-info", "legal-asylum", "mediation"])
sp("comune-jesolo-sociale", "org-comune-jesolo", "jesolo", 12.6441, 45.5341, "Comune di Jesolo – servizi sociali", "Jesolo council – social services", ["social-secretariat"])
sp("approdo-jesolo", "org-approdo", "jesolo", 12.6462, 45.5331, "Approdo – sportello lavoro stagionale di Jesolo (fittizio)", "Approdo – Jesolo seasonal work desk (fictional)", ["job-ngo", "mediation"], seasonal=("2026-05-15", "2026-09-15", "Mo-Sa 09:00-13:00; Mo,We,Fr 15:00-19:00"))
sp("comune-eraclea-sportello", "org-comune-eraclea", "eraclea", 12.6781, 45.5801, "Comune di Eraclea – sportello per la cittadinanza", "Eraclea council – residents' desk", ["permit-kit-help", "social-secretariat"])
sp("comune-caorle-sociale", "org-comune-caorle", "caorle", 12.8881, 45.6001, "Comune di Caorle – servizi sociali", "Caorle council – social services", ["social-secretariat"])
sp("filo-rosa-marcon", "org-filo-rosa", "marcon", 12.2971, 45.5631, "Filo Rosa – punto donna di Marcon (fittizio)", "Filo Rosa – Marcon women's point (fictional)", ["antiviolence"], phones=[("1522", {"it": "Numero nazionale antiviolenza, 24 ore su 24", "en": "National anti-violence helpline, 24 hours"})])
sp("approdo-bibione", "org-approdo", "sanmichele", 13.0499, 45.6352, "Approdo – sportello stagionale di Bibione (fittizio)", "Approdo – Bibione seasonal desk (fictional)", ["job-ngo"], "Bibione", seasonal=("2026-05-01", "2026-09-30", "Mo-Sa 08:30-12:30"), base_hours="Mo-Su off")
sp("comune-musile-sociale", "org-comune-musile", "musile", 12.5601, 45.6181, "Comune di Musile di Piave – servizi sociali", "Musile di Piave council – social services", ["social-secretariat"])


def schedule(tpl, spec):
    periods = [{"valid_from": None, "valid_to": None, "hours": spec.get("base_hours", HOURS[tpl])}]
    if tpl in SUMMER_CLOSED:
        periods.append({"valid_from": "2026-07-01", "valid_to": "2026-08-31", "hours": "Mo-Su off"})
    if "seasonal" in spec:
        a, b, h = spec["seasonal"]
        periods.append({"valid_from": a, "valid_to": b, "hours": h})
    # An empty hours text says nothing (the import refuses it): a closed period is "Mo-Su off".
    assert all(p["hours"].strip() for p in periods), (tpl, spec["slug"])
    s = {"periods": periods, "public_holidays": "open" if tpl in ALWAYS_OPEN else "closed"}
    if tpl not in ALWAYS_OPEN:
        s["closed_on"] = ["2026-12-24", "2026-12-31"]
    if tpl in SUMMER_CLOSED:
        s["note"] = {"it": "Chiuso a luglio e agosto.", "en": "Closed in July and August.",
                     "fr": "Fermé en juillet et en août.", "ar": "مغلق في شهري يوليو وأغسطس."}
    return s


def service(tpl, spec):
    t = TEMPLATES[tpl]
    sid = SHARED.get(tpl, f"svc-{spec['slug']}-{tpl}")
    svc = {"id": sid, "organization_id": SHARED_ORG.get(tpl, spec["org"]), "name": t["name"], "description": t["description"],
           "categories": t["categories"], "languages": t["languages"], "cost": t["cost"],
           "appointment_required": t["appointment_required"], "audiences": t["audiences"],
           "phone": None, "email": None, "url": None, "status": "published", "last_verified_at": VERIFIED}
    for k in ("documents", "cost_note"):
        if k in t:
            svc[k] = t[k]
    fictional = next(o for o in ORGS if o[0] == spec["org"])[3]
    if fictional:
        svc["email"] = f"{spec['slug']}@example.org"
    svc["schedule"] = schedule(tpl, spec)
    return svc


def feature(spec):
    code, postcode = C[spec["place"]]
    fictional = next(o for o in ORGS if o[0] == spec["org"])[3]
    services = [service(t, spec) for t in spec["services"]]
    if spec.get("draft_extra"):
        d = service(spec["services"][0], spec)
        d["id"] = f"svc-{spec['slug']}-nuovo-orario"
        d["name"] = {"it": d["name"]["it"] + " – nuovo orario (bozza)", "en": d["name"]["en"] + " – new hours (draft)"}
        d["status"] = "draft"
        d["schedule"]["periods"][0]["hours"] = "Mo-Fr 10:00-12:00"
        services.append(d)
    note = ("Dati dimostrativi: indirizzo e recapiti non indicati." if not fictional
            else "Organizzazione fittizia, dati dimostrativi.")
    note_en = ("Demo data: street address and contacts left out." if not fictional
               else "Fictional organisation, demo data.")
    props = {
        "organization_id": spec["org"],
        "name": {"it": spec["it"], "en": spec["en"]},
        "description": {"it": note, "en": note_en},
        "address": {"street": "", "postcode": postcode, "locality": spec["locality"] or "", "comune_istat": code},
        "accessibility": {"it": "Accessibilità non verificata nei dati dimostrativi.", "en": "Accessibility not checked in the demo data."},
        "phones": [{"number": n, "label": l} for n, l in spec.get("phones", [])],
        "emails": [f"{spec['slug']}@example.org"] if fictional else [],
        "website": None,
        "status": spec.get("status", "published"),
        "visibility": "public",
        "last_verified_at": VERIFIED,
        "services": services,
    }
    return {"type": "Feature", "id": f"loc-{spec['slug']}", "geometry": {"type": "Point", "coordinates": [spec["lon"], spec["lat"]]}, "properties": props}


# Dated notices and per-field confirmations, on fictional organisations' sportelli only (a real
# office's closures and checks would be invented facts): a summer closure to come, a course full
# until September, summer hours, and confirmations of different ages, so the app shows
# "coming up", "full until …", "checked N days ago" and "possibly out of date" in the demo.
FICTIONAL_NOTICE = {"it": " (avviso fittizio dei dati dimostrativi)", "en": " (fictional notice, demo data)"}


def notice_text(it, en):
    return {"it": it + FICTIONAL_NOTICE["it"], "en": en + FICTIONAL_NOTICE["en"]}


SPORTELLO_NOTICES = {
    "loc-voci-mondo-oriago": [{"kind": "closed", "from": "2027-08-09", "until": "2027-08-22",
                               "message": notice_text("Chiuso per ferie estive", "Closed for the summer holidays")}],
}
SERVICE_NOTICES = {
    ("loc-voci-mondo-lido", "svc-voci-mondo-lido-italian-volunteer"): [
        {"kind": "saturation", "places": "full", "from": "2026-10-01", "until": "2027-09-12",
         "message": notice_text("Corso pieno: le iscrizioni riaprono a settembre", "The course is full: enrolment reopens in September")}],
    ("loc-voci-mondo-noale", "svc-voci-mondo-noale-italian-volunteer"): [
        {"kind": "hours", "hours": "Mo,We 17:00-19:00", "from": "2027-06-28", "until": "2027-09-05",
         "message": notice_text("Orario estivo", "Summer hours")}],
}
# Confirmations per field: recent on the Lido school ("checked 3 days ago" at the demo's date),
# the hours of Scorzè's point not confirmed since May (past the 90 days: "possibly out of date").
SPORTELLO_VERIFIED = {"loc-voci-mondo-lido": {"address": "2026-11-28T09:30:00Z"}}
SERVICE_VERIFIED = {
    ("loc-voci-mondo-lido", "svc-voci-mondo-lido-italian-volunteer"): {
        "hours": "2026-11-28T09:30:00Z", "languages": "2026-11-28T09:30:00Z", "cost": "2026-11-28T09:30:00Z",
        "appointment": "2026-11-28T09:30:00Z"},
    ("loc-rete-solidale-scorze", "svc-rete-solidale-scorze-food-clothes"): {"hours": "2026-05-04T08:00:00Z"},
}


def add_dated(f):
    """The notices and confirmations above, on their sportello and its services."""
    fid, props = f["id"], f["properties"]
    if fid in SPORTELLO_NOTICES:
        props["notices"] = SPORTELLO_NOTICES[fid]
    if fid in SPORTELLO_VERIFIED:
        props["verified"] = SPORTELLO_VERIFIED[fid]
    for svc in props["services"]:
        if (fid, svc["id"]) in SERVICE_NOTICES:
            svc["notices"] = SERVICE_NOTICES[(fid, svc["id"])]
        if (fid, svc["id"]) in SERVICE_VERIFIED:
            svc["verified"] = SERVICE_VERIFIED[(fid, svc["id"])]
    return f


def ml(it, en, **more):
    return dict(it=it, en=en, **more)

PROJECTS = [
    {"id": "prj-capacitymetro", "code": None, "title": ml("CapaCityMetro – Città Metropolitana di Venezia", "CapaCityMetro – Metropolitan City of Venice"),
     "fund": "FAMI", "programme_period": "2014-2020", "lead_organization_id": "org-iuav",
     "partners": [{"name": "Regione del Veneto – Unità Flussi Migratori", "organization_id": "org-regione-veneto", "role": "partner"},
                  {"name": "Comune di Venezia – Servizio immigrazione e promozione dei diritti di cittadinanza e dell'asilo", "organization_id": "org-comune-venezia", "role": "partner"},
                  {"name": "Comune di Cona", "organization_id": "org-comune-cona", "role": "partner"},
                  {"name": "Comune di Dolo", "organization_id": "org-comune-dolo", "role": "partner"},
                  {"name": "Comune di Eraclea", "organization_id": "org-comune-eraclea", "role": "partner"},
                  {"name": "Comune di Mira", "organization_id": "org-comune-mira", "role": "partner"},
                  {"name": "Comune di Mirano", "organization_id": "org-comune-mirano", "role": "partner"},
                  {"name": "Comune di San Donà di Piave", "organization_id": "org-comune-san-dona", "role": "partner"}],
     "start_date": None, "end_date": None, "budget_eur": None,
     "territory": ["027042", "027010", "027012", "027013", "027023", "027024", "027033"], "phase": "closed",
     "summary": ml("Progetto guidato dalla Cattedra UNESCO SSIIM dello Iuav per mettere in rete gli sportelli per cittadini di Paesi terzi nella Città Metropolitana di Venezia: ricerca sui servizi, una piattaforma Web-GIS con app per orientarsi (una \"bussola\") e formazione per gli operatori.",
                   "Project led by Iuav's UNESCO Chair SSIIM to connect the desks serving third-country nationals in the Metropolitan City of Venice: research on services, a Web-GIS platform with an app to find one's way (a \"compass\"), and training for staff."),
     "service_ids": ["svc-comune-venezia-immigrazione-mediation", "svc-comune-mirano-stranieri-permit-kit-help"], "indicators": [], "website": None},
    {"id": "prj-rete-sportelli-amici", "code": None, "title": ml("Rete Sportelli AMICI", "AMICI desk network"),
     "fund": "FAMI", "programme_period": "2014-2020", "lead_organization_id": "org-enm",
     "partners": [{"name": f"CPIA di {c}", "organization_id": None, "role": "partner"} for c in
                  ["Torino", "Cagliari", "Taranto", "Pordenone", "Siracusa", "Pesaro", "L'Aquila", "Campobasso", "Grosseto", "Savona",
                   "Verona", "Perugia", "Bologna", "Brescia", "Roma", "Potenza", "Caserta", "Cosenza"]],
     "start_date": "2019-07-01", "end_date": "2021-11-30", "budget_eur": None, "territory": [], "phase": "closed",
     "summary": ml("Capacity building guidato dall'Ente Nazionale per il Microcredito con 18 CPIA partner: formazione degli operatori e un modello di sportelli in rete che uniscono orientamento, microcredito e servizi pubblici (Comuni, Centri per l'impiego, Camere di commercio, ASL) per cittadini di Paesi terzi regolarmente soggiornanti.",
                   "Capacity building led by the National Microcredit Agency with 18 partner CPIAs: staff training and a model of networked desks combining guidance, microcredit and public services (councils, job centres, chambers of commerce, health authorities) for legally resident third-country nationals."),
     "service_ids": [], "indicators": [], "website": None},
    {"id": "prj-wikifami", "code": None, "title": ml("WikiFAMI", "WikiFAMI"), "fund": "FAMI", "programme_period": "2014-2020",
     "lead_organization_id": "org-prefettura-padova", "partners": [], "start_date": "2021-09-01", "end_date": "2022-09-07",
     "budget_eur": None, "territory": ["028060"], "phase": "closed",
     "summary": ml("La Prefettura di Padova ha costruito un archivio condiviso dei progetti FAMI, dei loro prodotti e delle buone pratiche, con una comunità di pratica tra enti pubblici e privato sociale per programmare meglio i servizi futuri.",
                   "The Prefecture of Padua built a shared archive of FAMI projects, their outputs and good practices, with a community of practice between public bodies and civil society to plan future services better."),
     "service_ids": [], "indicators": [], "website": None},
    {"id": "prj-utg-insieme", "code": None, "title": ml("UTG Insieme", "UTG Insieme"), "fund": "FAMI", "programme_period": "2021-2027",
     "lead_organization_id": "org-prefettura-padova",
     "partners": [{"name": n, "organization_id": oid, "role": "partner"} for n, oid in
                  [("Prefettura di Vicenza", None), ("Prefettura di Treviso", None), ("Prefettura di Rovigo", None),
                   ("Prefettura di Belluno", None), ("Prefettura di Venezia", "org-prefettura-venezia"), ("Gea Coop Sociale", None)]],
     "start_date": None, "end_date": "2024-02-08", "budget_eur": None,
     "territory": ["028060", "024116", "026086", "029041", "025006", "027042"], "phase": "closed",
     "summary": ml("Progetto di dodici mesi delle Prefetture del Veneto per condividere strumenti digitali di monitoraggio dei centri di accoglienza straordinaria e formare il personale delle Prefetture e degli enti gestori.",
                   "A twelve-month project of the Veneto prefectures to share digital tools for monitoring emergency reception centres and to train prefecture and provider staff."),
     "service_ids": [], "indicators": [], "website": None},
    {"id": "prj-passi", "code": "PROG-1170", "title": ml("PASSI – Massa-Carrara", "PASSI – Massa-Carrara"), "fund": "FAMI",
     "programme_period": "2021-2027", "lead_organization_id": "org-prefettura-massa-carrara",
     "partners": [{"name": "Scuola Superiore di Studi Universitari e di Perfezionamento Sant'Anna", "organization_id": None, "role": "partner"},
                  {"name": "CPIA Massa Carrara", "organization_id": None, "role": "partner"}],
     "start_date": None, "end_date": None, "budget_eur": 398329.96, "territory": ["045010", "045003", "045011"], "phase": "planned",
     "summary": ml("Proposta di 18 mesi della Prefettura di Massa-Carrara per rafforzare la governance locale dell'integrazione: tavoli nel Consiglio Territoriale per l'Immigrazione, alta formazione per il personale pubblico, sensibilizzazione nelle scuole e presa in carico dei migranti più fragili.",
                   "An 18-month proposal of the Prefecture of Massa-Carrara to strengthen local governance of integration: working groups in the Territorial Council for Immigration, advanced training for public staff, awareness in schools and support for the most vulnerable migrants."),
     "service_ids": [],
     "indicators": [
         {"code": "O.2.2.a", "label": ml("Operatori partecipanti alla formazione", "Staff taking part in training"), "target": 60, "unit": "n."},
         {"code": "O.2.2.s", "label": ml("Prefetture supportate per attuare misure di integrazione", "Prefectures supported to implement integration measures"), "target": 1, "unit": "n."},
         {"code": "O.2.3", "label": ml("Cittadini di Paesi terzi sostenuti", "Third-country nationals supported"), "target": 60, "unit": "n."},
         {"code": "O.2.7.a", "label": ml("Nuovi servizi attivati", "New services set up"), "target": 2, "unit": "n."},
         {"code": "O.2.8.a", "label": ml("Servizi potenziati", "Services strengthened"), "target": 2, "unit": "n."},
         {"code": "O.2.37.s", "label": ml("Istituzioni, associazioni ed enti nelle reti di governance", "Institutions, associations and bodies in governance networks"), "target": 15, "unit": "n."},
         {"code": "O.2.42.s", "label": ml("Reti di governance attivate", "Governance networks set up"), "target": 1, "unit": "n."},
         {"code": "O.2.34.s", "label": ml("Operatori raggiunti da sensibilizzazione e informazione", "Staff reached by awareness and information"), "target": 50, "unit": "n."},
         {"code": "O.2.38.s", "label": ml("Mediatori linguistico-interculturali coinvolti", "Language and intercultural mediators involved"), "target": 5, "unit": "n."},
         {"code": "O.2.48.s", "label": ml("Operatori coinvolti nelle iniziative di sensibilizzazione", "Staff involved in awareness initiatives"), "target": 50, "unit": "n."},
         {"code": "R.2.9", "label": ml("Partecipanti che giudicano l'attività utile per la propria integrazione", "Participants who found the activity useful for their integration"), "target": 10, "unit": "n."},
         {"code": "R.2.12.a", "label": ml("Operatori che completano con successo la formazione", "Staff completing training successfully"), "target": 45, "unit": "n."},
         {"code": "R.2.12.s", "label": ml("Protocolli d'intesa sottoscritti", "Memoranda of understanding signed"), "target": 1, "unit": "n."},
         {"code": "R.2.14.a", "label": ml("Operatori che usano le competenze tre mesi dopo la formazione", "Staff using the skills three months after training"), "target": 40, "unit": "n."},
         {"code": "R.2.16.a", "label": ml("Operatori soddisfatti", "Satisfied staff"), "target": 50, "unit": "n."},
         {"code": "R.2.13.s", "label": ml("Persone soddisfatte (italiani e stranieri)", "Satisfied people (Italian and foreign)"), "target": 40, "unit": "n."},
     ], "website": None},
]

# Reception centres (CAS): a restricted layer, the test bed for everything confidential. Every
# name, managing body, capacity and position here is INVENTED for the demo; positions are
# rounded to two decimals (about a kilometre), as real ones must be. Seen only by viewers,
# coordinators and admins of their territory (see server/src/access/).
RECEPTION_ORGS = [
    ("org-demo-accoglienza-nord", "Cooperativa Accoglienza Nord (fittizia, dati dimostrativi)",
     ("Ente gestore inventato per i dati dimostrativi del livello riservato dei centri di accoglienza.",
      "An invented managing body for the demo data of the restricted reception layer.")),
    ("org-demo-rifugio-sud", "Consorzio Rifugio Sud (fittizio, dati dimostrativi)",
     ("Ente gestore inventato per i dati dimostrativi del livello riservato dei centri di accoglienza.",
      "An invented managing body for the demo data of the restricted reception layer.")),
]

RECEPTION = [
    # slug, name (it), name (en), managing body, comune code, postcode, lon, lat, kind, capacity
    ("cas-demo-mestre", "CAS Demo Mestre (fittizio)", "Demo CAS Mestre (fictional)", "org-demo-accoglienza-nord", "027042", "30172", 12.24, 45.49, "cas", 48),
    ("cas-demo-marghera", "CAS Demo Marghera (fittizio)", "Demo CAS Marghera (fictional)", "org-demo-accoglienza-nord", "027042", "30175", 12.22, 45.47, "cas", 25),
    ("cas-demo-mira", "CAS Demo Mira (fittizio)", "Demo CAS Mira (fictional)", "org-demo-accoglienza-nord", "027023", "30034", 12.13, 45.44, "cas", 18),
    ("cas-demo-dolo", "CAS Demo Dolo (fittizio)", "Demo CAS Dolo (fictional)", "org-demo-accoglienza-nord", "027012", "30031", 12.08, 45.43, "cas", 12),
    ("cas-demo-san-dona", "CAS Demo San Donà (fittizio)", "Demo CAS San Donà (fictional)", "org-demo-rifugio-sud", "027033", "30027", 12.57, 45.63, "cas", 36),
    ("cas-demo-portogruaro", "CAS Demo Portogruaro (fittizio)", "Demo CAS Portogruaro (fictional)", "org-demo-rifugio-sud", "027029", "30026", 12.84, 45.78, "cas", 20),
    ("cas-demo-chioggia", "CAS Demo Chioggia (fittizio)", "Demo CAS Chioggia (fictional)", "org-demo-rifugio-sud", "027008", "30015", 12.28, 45.22, "cas", 30),
    ("cas-demo-cavarzere", "CAS Demo Cavarzere (fittizio)", "Demo CAS Cavarzere (fictional)", "org-demo-rifugio-sud", "027006", "30014", 12.08, 45.14, "cas", 15),
]


def reception_feature(r):
    slug, it, en, org, code, postcode, lon, lat, kind, capacity = r
    props = {
        "organization_id": org,
        "name": {"it": it, "en": en},
        "description": {"it": "Centro inventato per i dati dimostrativi: nome, ente gestore, posti e posizione sono fittizi.",
                        "en": "A centre invented for the demo data: name, managing body, places and position are fictional."},
        "address": {"street": "", "postcode": postcode, "locality": "", "comune_istat": code},
        "phones": [], "emails": [], "website": None,
        "reception": {"kind": kind, "capacity": capacity},
        "status": "published",
        "visibility": "restricted",
        "last_verified_at": VERIFIED,
        "services": [],
    }
    return {"type": "Feature", "id": f"loc-{slug}", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


NOTICE = {
    "it": "Dati dimostrativi: non è un elenco reale. Le organizzazioni segnate come fittizie sono inventate; per gli enti reali orari, posizioni e servizi sono indicativi. Prima di andare, verifica sempre con l'ufficio.",
    "en": "Demo data: this is not a live directory. Organisations marked fictional are invented; for real institutions, hours, positions and services are indicative. Always check with the office before you go.",
    "fr": "Données de démonstration : ce n'est pas un annuaire réel. Les organisations fictives sont inventées ; pour les institutions réelles, horaires et services sont indicatifs.",
    "ar": "بيانات تجريبية: هذا ليس دليلاً حقيقياً. المنظمات المذكورة كوهمية مُختلَقة؛ وبالنسبة للجهات الحقيقية فالمواعيد والخدمات تقريبية.",
    "ur": "نمونے کا ڈیٹا: یہ حقیقی فہرست نہیں ہے۔ فرضی تنظیمیں خیالی ہیں؛ حقیقی اداروں کے اوقات اور خدمات صرف اندازاً ہیں۔",
    "bn": "নমুনা তথ্য: এটি প্রকৃত তালিকা নয়। কাল্পনিক সংস্থাগুলো বানানো; প্রকৃত প্রতিষ্ঠানের সময় ও সেবা আনুমানিক।",
    "uk": "Демонстраційні дані: це не справжній довідник. Вигадані організації позначено; для реальних установ години й послуги орієнтовні.",
    "zh": "演示数据：这不是真实的名录。标注为虚构的机构均为编造；真实机构的时间和服务仅供参考。",
}


def point_in_ring(x, y, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][:2]; xj, yj = ring[j][:2]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_comune(x, y, geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return any(point_in_ring(x, y, p[0]) and not any(point_in_ring(x, y, h) for h in p[1:]) for p in polys)


def main(boundaries_path):
    comuni = {f["properties"]["com_istat_code"]: f for f in json.load(open(boundaries_path))["features"]}
    features = [add_dated(feature(s)) for s in S] + [reception_feature(r) for r in RECEPTION]
    bad = [f"{f['id']}: {f['geometry']['coordinates']} not in {f['properties']['address']['comune_istat']}"
           for f in features if not in_comune(*f["geometry"]["coordinates"], comuni[f["properties"]["address"]["comune_istat"]]["geometry"])]
    if bad:
        sys.exit("points outside their comune:\n" + "\n".join(bad))
    doc = {"type": "FeatureCollection", "bussola": {
        "format": "bussola-dataset/1",
        "metadata": {"title": {"it": "Bussola – dati dimostrativi della Città metropolitana di Venezia", "en": "Bussola – demo data for the Metropolitan City of Venice"},
                     "demo": True, "notice": NOTICE, "territory": "Città metropolitana di Venezia", "as_of": "2026-11-01",
                     "license": "CC0-1.0", "attribution": "Bussola project; demo data written for testing and demonstration."},
        "organizations": [{"id": i, "name": n, "kind": k, "description": {"it": d[0], "en": d[1]}, "website": None, "email": None,
                           "phone": None, "fictional": f, "status": "published", "visibility": "public"} for i, n, k, f, d in ORGS]
                         + [{"id": i, "name": n, "kind": "ngo", "description": {"it": d[0], "en": d[1]}, "website": None, "email": None,
                             "phone": None, "fictional": True, "status": "published", "visibility": "restricted"} for i, n, d in RECEPTION_ORGS],
        "projects": PROJECTS}, "features": features}
    (ROOT / "demo" / "venezia.geojson").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # Gazetteer: every comune at an interior point, plus localities used above and a few well-known ones.
    places = []
    for code, f in sorted(comuni.items()):
        geom = f["geometry"]
        ring = (geom["coordinates"][0] if geom["type"] == "Polygon" else max(geom["coordinates"], key=lambda p: len(p[0]))[0])
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        if not in_comune(cx, cy, geom):  # fall back to a vertex-adjacent interior probe
            cx, cy = next((x, y) for x, y in ((xs[i] * 0.9 + cx * 0.1, ys[i] * 0.9 + cy * 0.1) for i in range(len(xs))) if in_comune(x, y, geom))
        places.append({"name": f["properties"]["name"], "kind": "comune", "comune_istat": code, "lon": round(cx, 5), "lat": round(cy, 5)})
    LOCALITIES = [("Mestre", "027042", 12.2386, 45.4903), ("Marghera", "027042", 12.2233, 45.4690), ("Lido di Venezia", "027042", 12.3600, 45.4150),
                  ("Favaro Veneto", "027042", 12.2890, 45.5080), ("Chirignago", "027042", 12.1950, 45.4820), ("Zelarino", "027042", 12.2000, 45.5130),
                  ("Campalto", "027042", 12.2880, 45.4880), ("Murano", "027042", 12.3530, 45.4580), ("Burano", "027042", 12.4170, 45.4850),
                  ("Pellestrina", "027042", 12.3030, 45.2800), ("Venezia centro storico", "027042", 12.3358, 45.4375),
                  ("Sottomarina", "027008", 12.2970, 45.2110), ("Jesolo Lido", "027019", 12.6245, 45.4970), ("Bibione", "027034", 13.0500, 45.6350),
                  ("Eraclea Mare", "027013", 12.7800, 45.5600), ("Oriago", "027023", 12.1760, 45.4530), ("Gambarare", "027023", 12.1660, 45.4140),
                  ("Mira Porte", "027023", 12.1330, 45.4370), ("Sambruson", "027012", 12.0780, 45.4050), ("Duna Verde", "027005", 12.8450, 45.5810),
                  ("Sottomarina Lido", "027008", 12.3010, 45.2000)]
    outside = [n for n, code, x, y in LOCALITIES if not in_comune(x, y, comuni[code]["geometry"])]
    if outside:
        sys.exit(f"localities outside their comune: {outside}")
    for name, code, x, y in LOCALITIES:
        places.append({"name": name, "kind": "locality", "comune_istat": code, "lon": x, "lat": y})
    (ROOT / "gazetteer.json").write_text(json.dumps({"places": places}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cats = {}
    for f in features:
        for s in f["properties"]["services"]:
            for c in s["categories"]:
                cats[c] = cats.get(c, 0) + 1
    print(f"{len(S)} sportelli and {len(RECEPTION)} reception centres (restricted) in {len({f['properties']['address']['comune_istat'] for f in features})} comuni; "
          f"{len({s['id'] for f in features for s in f['properties']['services']})} services; categories: {cats}; {len(places)} places")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent.parent / "shared/data/istat-boundaries/limits_P_27_municipalities.geojson"))
