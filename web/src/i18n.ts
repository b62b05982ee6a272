// The interface in eight languages, with CLDR plural rules (Intl.PluralRules) and the
// writing direction. Service content comes from the data, in whatever languages it has.

export const LANGUAGES = ["it", "en", "fr", "ar", "ur", "bn", "uk", "zh"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's own name for itself. */
export const NATIVE_NAMES: Record<Lang, string> = {
  it: "Italiano",
  en: "English",
  fr: "Français",
  ar: "العربية",
  ur: "اردو",
  bn: "বাংলা",
  uk: "Українська",
  zh: "中文",
};

const RTL = new Set(["ar", "ur", "fa", "he", "ps"]);
export const dirOf = (lang: string): "rtl" | "ltr" => (RTL.has(lang.split("-")[0]) ? "rtl" : "ltr");

export function isLang(x: string | null | undefined): x is Lang {
  return !!x && (LANGUAGES as readonly string[]).includes(x);
}

/** The best UI language for the browser's preferences, or null if none is offered. */
export function fromNavigator(prefs: readonly string[]): Lang | null {
  for (const p of prefs) {
    const base = p.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return null;
}

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Strings = Record<Key, string> & { results: Plural; services_here: Plural };

type Key =
  | "skip"
  | "tagline"
  | "choose_language"
  | "language"
  | "what_need"
  | "where"
  | "use_location"
  | "locating"
  | "location_failed"
  | "place_label"
  | "place_hint"
  | "search"
  | "no_place"
  | "near_you"
  | "near_place"
  | "choose_place"
  | "filters"
  | "open_now_filter"
  | "free"
  | "no_appointment"
  | "spoken"
  | "for_whom"
  | "any"
  | "list"
  | "map"
  | "no_results"
  | "open_now"
  | "closes_at"
  | "opens_at"
  | "opens_on"
  | "closed"
  | "back"
  | "change_need"
  | "hours"
  | "today"
  | "closed_day"
  | "holiday"
  | "closure"
  | "languages_spoken"
  | "cost"
  | "cost_free"
  | "cost_paid"
  | "cost_reduced"
  | "appointment_needed"
  | "appointment_not_needed"
  | "documents"
  | "address"
  | "accessibility"
  | "run_by"
  | "fictional"
  | "call"
  | "email"
  | "website"
  | "directions"
  | "osm"
  | "share"
  | "copied"
  | "offline"
  | "fallback"
  | "checked"
  | "demo"
  | "demo_short"
  | "map_unavailable"
  | "map_label"
  | "you"
  | "loading"
  | "load_failed"
  | "retry"
  | "distance_away";

const it: Strings = {
  skip: "Vai al contenuto",
  tagline: "Sportelli e servizi vicino a te, nella tua lingua",
  choose_language: "Scegli la lingua",
  language: "Lingua",
  what_need: "Di cosa hai bisogno?",
  where: "Dove sei?",
  use_location: "Usa la mia posizione",
  locating: "Cerco la tua posizione…",
  location_failed: "Posizione non disponibile. Scrivi un luogo.",
  place_label: "Comune, frazione o indirizzo",
  place_hint: "Per esempio: Mestre",
  search: "Cerca",
  no_place: "Nessun luogo trovato con questo nome",
  near_you: "vicino a te",
  near_place: "vicino a {place}",
  choose_place: "Scegli un luogo per vedere le distanze",
  filters: "Filtri",
  open_now_filter: "Aperto ora",
  free: "Gratuito",
  no_appointment: "Senza appuntamento",
  spoken: "Lingua parlata",
  for_whom: "Per chi",
  any: "Qualsiasi",
  list: "Elenco",
  map: "Mappa",
  no_results: "Nessun risultato. Prova a togliere un filtro.",
  open_now: "Aperto ora",
  closes_at: "chiude alle {time}",
  opens_at: "Apre alle {time}",
  opens_on: "Apre {day} alle {time}",
  closed: "Chiuso",
  back: "Indietro",
  change_need: "Cambia servizio",
  hours: "Orari",
  today: "Oggi",
  closed_day: "Chiuso",
  holiday: "festivo",
  closure: "chiusura straordinaria",
  languages_spoken: "Lingue parlate",
  cost: "Costo",
  cost_free: "Gratuito",
  cost_paid: "A pagamento",
  cost_reduced: "Tariffa ridotta",
  appointment_needed: "Serve l'appuntamento",
  appointment_not_needed: "Senza appuntamento",
  documents: "Cosa portare",
  address: "Indirizzo",
  accessibility: "Accessibilità",
  run_by: "Gestito da",
  fictional: "organizzazione fittizia (dati dimostrativi)",
  call: "Chiama",
  email: "E-mail",
  website: "Sito web",
  directions: "Indicazioni",
  osm: "OpenStreetMap",
  share: "Condividi",
  copied: "Link copiato",
  offline: "Sei offline: dati del {date}",
  fallback: "Alcune informazioni non sono disponibili nella tua lingua e sono mostrate in {language}.",
  checked: "Verificato il {date}",
  demo: "Dati dimostrativi",
  demo_short: "non è un elenco reale",
  map_unavailable: "La mappa non è disponibile su questo dispositivo. Usa l'elenco.",
  map_label: "Mappa dei risultati",
  you: "La tua posizione",
  loading: "Caricamento…",
  load_failed: "Impossibile caricare i dati. Controlla la connessione.",
  retry: "Riprova",
  distance_away: "a {distance}",
  results: { one: "{n} sportello", other: "{n} sportelli" },
  services_here: { one: "{n} servizio qui", other: "{n} servizi qui" },
};

const en: Strings = {
  skip: "Skip to content",
  tagline: "Help desks and services near you, in your language",
  choose_language: "Choose your language",
  language: "Language",
  what_need: "What do you need?",
  where: "Where are you?",
  use_location: "Use my location",
  locating: "Finding your position…",
  location_failed: "Position not available. Type a place instead.",
  place_label: "Town, village or address",
  place_hint: "For example: Mestre",
  search: "Search",
  no_place: "No place found with this name",
  near_you: "near you",
  near_place: "near {place}",
  choose_place: "Choose a place to see distances",
  filters: "Filters",
  open_now_filter: "Open now",
  free: "Free",
  no_appointment: "No appointment",
  spoken: "Language spoken",
  for_whom: "Who it is for",
  any: "Any",
  list: "List",
  map: "Map",
  no_results: "Nothing found. Try removing a filter.",
  open_now: "Open now",
  closes_at: "closes at {time}",
  opens_at: "Opens at {time}",
  opens_on: "Opens {day} at {time}",
  closed: "Closed",
  back: "Back",
  change_need: "Change service",
  hours: "Opening hours",
  today: "Today",
  closed_day: "Closed",
  holiday: "public holiday",
  closure: "special closure",
  languages_spoken: "Languages spoken",
  cost: "Cost",
  cost_free: "Free",
  cost_paid: "Paid",
  cost_reduced: "Reduced fee",
  appointment_needed: "Appointment needed",
  appointment_not_needed: "No appointment needed",
  documents: "What to bring",
  address: "Address",
  accessibility: "Accessibility",
  run_by: "Run by",
  fictional: "fictional organisation (demo data)",
  call: "Call",
  email: "E-mail",
  website: "Website",
  directions: "Directions",
  osm: "OpenStreetMap",
  share: "Share",
  copied: "Link copied",
  offline: "You are offline: data of {date}",
  fallback: "Some information is not available in your language and is shown in {language}.",
  checked: "Checked on {date}",
  demo: "Demo data",
  demo_short: "not a live directory",
  map_unavailable: "The map is not available on this device. Use the list.",
  map_label: "Map of the results",
  you: "Your position",
  loading: "Loading…",
  load_failed: "Could not load the data. Check your connection.",
  retry: "Try again",
  distance_away: "{distance} away",
  results: { one: "{n} help desk", other: "{n} help desks" },
  services_here: { one: "{n} service here", other: "{n} services here" },
};

const fr: Strings = {
  skip: "Aller au contenu",
  tagline: "Guichets et services près de vous, dans votre langue",
  choose_language: "Choisissez votre langue",
  language: "Langue",
  what_need: "De quoi avez-vous besoin ?",
  where: "Où êtes-vous ?",
  use_location: "Utiliser ma position",
  locating: "Recherche de votre position…",
  location_failed: "Position indisponible. Écrivez un lieu.",
  place_label: "Commune, hameau ou adresse",
  place_hint: "Par exemple : Mestre",
  search: "Rechercher",
  no_place: "Aucun lieu trouvé avec ce nom",
  near_you: "près de vous",
  near_place: "près de {place}",
  choose_place: "Choisissez un lieu pour voir les distances",
  filters: "Filtres",
  open_now_filter: "Ouvert maintenant",
  free: "Gratuit",
  no_appointment: "Sans rendez-vous",
  spoken: "Langue parlée",
  for_whom: "Pour qui",
  any: "Toutes",
  list: "Liste",
  map: "Carte",
  no_results: "Aucun résultat. Essayez d'enlever un filtre.",
  open_now: "Ouvert maintenant",
  closes_at: "ferme à {time}",
  opens_at: "Ouvre à {time}",
  opens_on: "Ouvre {day} à {time}",
  closed: "Fermé",
  back: "Retour",
  change_need: "Changer de service",
  hours: "Horaires",
  today: "Aujourd'hui",
  closed_day: "Fermé",
  holiday: "jour férié",
  closure: "fermeture exceptionnelle",
  languages_spoken: "Langues parlées",
  cost: "Coût",
  cost_free: "Gratuit",
  cost_paid: "Payant",
  cost_reduced: "Tarif réduit",
  appointment_needed: "Sur rendez-vous",
  appointment_not_needed: "Sans rendez-vous",
  documents: "À apporter",
  address: "Adresse",
  accessibility: "Accessibilité",
  run_by: "Géré par",
  fictional: "organisation fictive (données de démonstration)",
  call: "Appeler",
  email: "E-mail",
  website: "Site web",
  directions: "Itinéraire",
  osm: "OpenStreetMap",
  share: "Partager",
  copied: "Lien copié",
  offline: "Vous êtes hors ligne : données du {date}",
  fallback: "Certaines informations ne sont pas disponibles dans votre langue et sont affichées en {language}.",
  checked: "Vérifié le {date}",
  demo: "Données de démonstration",
  demo_short: "ce n'est pas un annuaire réel",
  map_unavailable: "La carte n'est pas disponible sur cet appareil. Utilisez la liste.",
  map_label: "Carte des résultats",
  you: "Votre position",
  loading: "Chargement…",
  load_failed: "Impossible de charger les données. Vérifiez la connexion.",
  retry: "Réessayer",
  distance_away: "à {distance}",
  results: { one: "{n} guichet", many: "{n} de guichets", other: "{n} guichets" },
  services_here: { one: "{n} service ici", many: "{n} de services ici", other: "{n} services ici" },
};

const ar: Strings = {
  skip: "انتقل إلى المحتوى",
  tagline: "مكاتب وخدمات قريبة منك، بلغتك",
  choose_language: "اختر لغتك",
  language: "اللغة",
  what_need: "ماذا تحتاج؟",
  where: "أين أنت؟",
  use_location: "استخدم موقعي",
  locating: "جارٍ تحديد موقعك…",
  location_failed: "الموقع غير متاح. اكتب اسم مكان.",
  place_label: "البلدية أو القرية أو العنوان",
  place_hint: "مثلاً: Mestre",
  search: "بحث",
  no_place: "لا يوجد مكان بهذا الاسم",
  near_you: "بالقرب منك",
  near_place: "بالقرب من {place}",
  choose_place: "اختر مكاناً لمعرفة المسافات",
  filters: "عوامل التصفية",
  open_now_filter: "مفتوح الآن",
  free: "مجاني",
  no_appointment: "بدون موعد",
  spoken: "اللغة المحكية",
  for_whom: "لمن",
  any: "الكل",
  list: "قائمة",
  map: "خريطة",
  no_results: "لا توجد نتائج. جرّب إزالة أحد عوامل التصفية.",
  open_now: "مفتوح الآن",
  closes_at: "يغلق الساعة {time}",
  opens_at: "يفتح الساعة {time}",
  opens_on: "يفتح يوم {day} الساعة {time}",
  closed: "مغلق",
  back: "رجوع",
  change_need: "غيّر الخدمة",
  hours: "مواعيد العمل",
  today: "اليوم",
  closed_day: "مغلق",
  holiday: "عطلة رسمية",
  closure: "إغلاق استثنائي",
  languages_spoken: "اللغات المحكية",
  cost: "التكلفة",
  cost_free: "مجاني",
  cost_paid: "مدفوع",
  cost_reduced: "رسوم مخفضة",
  appointment_needed: "يلزم موعد",
  appointment_not_needed: "لا يلزم موعد",
  documents: "ماذا تحضر معك",
  address: "العنوان",
  accessibility: "إمكانية الوصول",
  run_by: "تديره",
  fictional: "منظمة وهمية (بيانات تجريبية)",
  call: "اتصل",
  email: "البريد الإلكتروني",
  website: "الموقع الإلكتروني",
  directions: "الاتجاهات",
  osm: "OpenStreetMap",
  share: "مشاركة",
  copied: "تم نسخ الرابط",
  offline: "أنت غير متصل: بيانات بتاريخ {date}",
  fallback: "بعض المعلومات غير متوفرة بلغتك وتظهر باللغة {language}.",
  checked: "تم التحقق في {date}",
  demo: "بيانات تجريبية",
  demo_short: "ليس دليلاً حقيقياً",
  map_unavailable: "الخريطة غير متاحة على هذا الجهاز. استخدم القائمة.",
  map_label: "خريطة النتائج",
  you: "موقعك",
  loading: "جارٍ التحميل…",
  load_failed: "تعذّر تحميل البيانات. تحقق من الاتصال.",
  retry: "حاول مرة أخرى",
  distance_away: "على بعد {distance}",
  results: {
    zero: "لا يوجد أي مكتب",
    one: "مكتب واحد",
    two: "مكتبان",
    few: "{n} مكاتب",
    many: "{n} مكتباً",
    other: "{n} مكتب",
  },
  services_here: {
    zero: "لا توجد خدمات هنا",
    one: "خدمة واحدة هنا",
    two: "خدمتان هنا",
    few: "{n} خدمات هنا",
    many: "{n} خدمة هنا",
    other: "{n} خدمة هنا",
  },
};

const ur: Strings = {
  skip: "مواد پر جائیں",
  tagline: "آپ کے قریب دفاتر اور خدمات، آپ کی زبان میں",
  choose_language: "اپنی زبان منتخب کریں",
  language: "زبان",
  what_need: "آپ کو کیا چاہیے؟",
  where: "آپ کہاں ہیں؟",
  use_location: "میرا مقام استعمال کریں",
  locating: "آپ کا مقام تلاش کیا جا رہا ہے…",
  location_failed: "مقام دستیاب نہیں۔ جگہ کا نام لکھیں۔",
  place_label: "قصبہ، گاؤں یا پتا",
  place_hint: "مثال کے طور پر: Mestre",
  search: "تلاش",
  no_place: "اس نام کی کوئی جگہ نہیں ملی",
  near_you: "آپ کے قریب",
  near_place: "{place} کے قریب",
  choose_place: "فاصلے دیکھنے کے لیے جگہ منتخب کریں",
  filters: "فلٹر",
  open_now_filter: "ابھی کھلا ہے",
  free: "مفت",
  no_appointment: "بغیر ملاقات کے وقت",
  spoken: "بولی جانے والی زبان",
  for_whom: "کس کے لیے",
  any: "کوئی بھی",
  list: "فہرست",
  map: "نقشہ",
  no_results: "کچھ نہیں ملا۔ کوئی فلٹر ہٹا کر دیکھیں۔",
  open_now: "ابھی کھلا ہے",
  closes_at: "{time} بجے بند ہوگا",
  opens_at: "{time} بجے کھلے گا",
  opens_on: "{day} کو {time} بجے کھلے گا",
  closed: "بند",
  back: "واپس",
  change_need: "خدمت تبدیل کریں",
  hours: "اوقاتِ کار",
  today: "آج",
  closed_day: "بند",
  holiday: "سرکاری چھٹی",
  closure: "خصوصی بندش",
  languages_spoken: "بولی جانے والی زبانیں",
  cost: "لاگت",
  cost_free: "مفت",
  cost_paid: "ادائیگی کے ساتھ",
  cost_reduced: "کم فیس",
  appointment_needed: "ملاقات کا وقت ضروری ہے",
  appointment_not_needed: "ملاقات کا وقت ضروری نہیں",
  documents: "ساتھ کیا لائیں",
  address: "پتا",
  accessibility: "رسائی",
  run_by: "زیرِ انتظام",
  fictional: "فرضی تنظیم (نمونے کا ڈیٹا)",
  call: "کال کریں",
  email: "ای میل",
  website: "ویب سائٹ",
  directions: "راستہ",
  osm: "OpenStreetMap",
  share: "شیئر کریں",
  copied: "لنک کاپی ہو گیا",
  offline: "آپ آف لائن ہیں: {date} کا ڈیٹا",
  fallback: "کچھ معلومات آپ کی زبان میں دستیاب نہیں اور {language} میں دکھائی گئی ہیں۔",
  checked: "{date} کو تصدیق شدہ",
  demo: "نمونے کا ڈیٹا",
  demo_short: "یہ حقیقی فہرست نہیں ہے",
  map_unavailable: "اس آلے پر نقشہ دستیاب نہیں۔ فہرست استعمال کریں۔",
  map_label: "نتائج کا نقشہ",
  you: "آپ کا مقام",
  loading: "لوڈ ہو رہا ہے…",
  load_failed: "ڈیٹا لوڈ نہیں ہو سکا۔ کنکشن چیک کریں۔",
  retry: "دوبارہ کوشش کریں",
  distance_away: "{distance} دور",
  results: { one: "{n} دفتر", other: "{n} دفاتر" },
  services_here: { one: "یہاں {n} خدمت", other: "یہاں {n} خدمات" },
};

const bn: Strings = {
  skip: "মূল বিষয়ে যান",
  tagline: "আপনার কাছাকাছি অফিস ও সেবা, আপনার ভাষায়",
  choose_language: "আপনার ভাষা বেছে নিন",
  language: "ভাষা",
  what_need: "আপনার কী দরকার?",
  where: "আপনি কোথায়?",
  use_location: "আমার অবস্থান ব্যবহার করুন",
  locating: "আপনার অবস্থান খোঁজা হচ্ছে…",
  location_failed: "অবস্থান পাওয়া যায়নি। একটি জায়গার নাম লিখুন।",
  place_label: "শহর, গ্রাম বা ঠিকানা",
  place_hint: "যেমন: Mestre",
  search: "খুঁজুন",
  no_place: "এই নামে কোনো জায়গা পাওয়া যায়নি",
  near_you: "আপনার কাছে",
  near_place: "{place}-এর কাছে",
  choose_place: "দূরত্ব দেখতে একটি জায়গা বেছে নিন",
  filters: "ফিল্টার",
  open_now_filter: "এখন খোলা",
  free: "বিনামূল্যে",
  no_appointment: "অ্যাপয়েন্টমেন্ট ছাড়া",
  spoken: "যে ভাষায় কথা বলা হয়",
  for_whom: "কার জন্য",
  any: "যেকোনো",
  list: "তালিকা",
  map: "মানচিত্র",
  no_results: "কিছু পাওয়া যায়নি। একটি ফিল্টার সরিয়ে দেখুন।",
  open_now: "এখন খোলা",
  closes_at: "{time}-এ বন্ধ হবে",
  opens_at: "{time}-এ খুলবে",
  opens_on: "{day} {time}-এ খুলবে",
  closed: "বন্ধ",
  back: "ফিরে যান",
  change_need: "সেবা বদলান",
  hours: "খোলার সময়",
  today: "আজ",
  closed_day: "বন্ধ",
  holiday: "সরকারি ছুটি",
  closure: "বিশেষ বন্ধ",
  languages_spoken: "যে ভাষাগুলোতে কথা বলা হয়",
  cost: "খরচ",
  cost_free: "বিনামূল্যে",
  cost_paid: "টাকা লাগে",
  cost_reduced: "কম ফি",
  appointment_needed: "অ্যাপয়েন্টমেন্ট লাগবে",
  appointment_not_needed: "অ্যাপয়েন্টমেন্ট লাগবে না",
  documents: "সঙ্গে কী আনবেন",
  address: "ঠিকানা",
  accessibility: "প্রবেশযোগ্যতা",
  run_by: "পরিচালনায়",
  fictional: "কাল্পনিক সংস্থা (নমুনা তথ্য)",
  call: "কল করুন",
  email: "ই-মেইল",
  website: "ওয়েবসাইট",
  directions: "দিকনির্দেশ",
  osm: "OpenStreetMap",
  share: "শেয়ার করুন",
  copied: "লিংক কপি হয়েছে",
  offline: "আপনি অফলাইনে আছেন: {date} তারিখের তথ্য",
  fallback: "কিছু তথ্য আপনার ভাষায় নেই এবং {language} ভাষায় দেখানো হয়েছে।",
  checked: "{date} তারিখে যাচাই করা",
  demo: "নমুনা তথ্য",
  demo_short: "এটি প্রকৃত তালিকা নয়",
  map_unavailable: "এই ডিভাইসে মানচিত্র পাওয়া যাচ্ছে না। তালিকা ব্যবহার করুন।",
  map_label: "ফলাফলের মানচিত্র",
  you: "আপনার অবস্থান",
  loading: "লোড হচ্ছে…",
  load_failed: "তথ্য লোড করা যায়নি। সংযোগ পরীক্ষা করুন।",
  retry: "আবার চেষ্টা করুন",
  distance_away: "{distance} দূরে",
  results: { one: "{n}টি অফিস", other: "{n}টি অফিস" },
  services_here: { one: "এখানে {n}টি সেবা", other: "এখানে {n}টি সেবা" },
};

const uk: Strings = {
  skip: "Перейти до змісту",
  tagline: "Приймальні та послуги поруч із вами, вашою мовою",
  choose_language: "Оберіть мову",
  language: "Мова",
  what_need: "Що вам потрібно?",
  where: "Де ви?",
  use_location: "Використати моє місцезнаходження",
  locating: "Визначаємо ваше місцезнаходження…",
  location_failed: "Місцезнаходження недоступне. Введіть назву місця.",
  place_label: "Місто, село або адреса",
  place_hint: "Наприклад: Mestre",
  search: "Шукати",
  no_place: "Місце з такою назвою не знайдено",
  near_you: "поруч із вами",
  near_place: "поруч із {place}",
  choose_place: "Оберіть місце, щоб побачити відстані",
  filters: "Фільтри",
  open_now_filter: "Відчинено зараз",
  free: "Безкоштовно",
  no_appointment: "Без запису",
  spoken: "Мова спілкування",
  for_whom: "Для кого",
  any: "Будь-яка",
  list: "Список",
  map: "Карта",
  no_results: "Нічого не знайдено. Спробуйте прибрати фільтр.",
  open_now: "Відчинено зараз",
  closes_at: "зачиняється о {time}",
  opens_at: "Відчиняється о {time}",
  opens_on: "Відчиняється {day} о {time}",
  closed: "Зачинено",
  back: "Назад",
  change_need: "Змінити послугу",
  hours: "Години роботи",
  today: "Сьогодні",
  closed_day: "Зачинено",
  holiday: "державне свято",
  closure: "позапланове закриття",
  languages_spoken: "Мови спілкування",
  cost: "Вартість",
  cost_free: "Безкоштовно",
  cost_paid: "Платно",
  cost_reduced: "Знижена плата",
  appointment_needed: "Потрібен запис",
  appointment_not_needed: "Запис не потрібен",
  documents: "Що взяти з собою",
  address: "Адреса",
  accessibility: "Доступність",
  run_by: "Організація",
  fictional: "вигадана організація (демонстраційні дані)",
  call: "Подзвонити",
  email: "Е-пошта",
  website: "Вебсайт",
  directions: "Маршрут",
  osm: "OpenStreetMap",
  share: "Поділитися",
  copied: "Посилання скопійовано",
  offline: "Ви офлайн: дані від {date}",
  fallback: "Частина інформації недоступна вашою мовою і показана мовою: {language}.",
  checked: "Перевірено {date}",
  demo: "Демонстраційні дані",
  demo_short: "це не справжній довідник",
  map_unavailable: "Карта недоступна на цьому пристрої. Скористайтеся списком.",
  map_label: "Карта результатів",
  you: "Ваше місце",
  loading: "Завантаження…",
  load_failed: "Не вдалося завантажити дані. Перевірте з'єднання.",
  retry: "Спробувати ще",
  distance_away: "за {distance}",
  results: { one: "{n} приймальня", few: "{n} приймальні", many: "{n} приймалень", other: "{n} приймальні" },
  services_here: { one: "{n} послуга тут", few: "{n} послуги тут", many: "{n} послуг тут", other: "{n} послуги тут" },
};

const zh: Strings = {
  skip: "跳到主要内容",
  tagline: "您附近的服务窗口，使用您的语言",
  choose_language: "选择语言",
  language: "语言",
  what_need: "您需要什么？",
  where: "您在哪里？",
  use_location: "使用我的位置",
  locating: "正在确定您的位置…",
  location_failed: "无法获取位置。请输入地名。",
  place_label: "市镇、村庄或地址",
  place_hint: "例如：Mestre",
  search: "搜索",
  no_place: "找不到这个地名",
  near_you: "您附近",
  near_place: "{place}附近",
  choose_place: "选择一个地点以查看距离",
  filters: "筛选",
  open_now_filter: "正在营业",
  free: "免费",
  no_appointment: "无需预约",
  spoken: "使用的语言",
  for_whom: "服务对象",
  any: "不限",
  list: "列表",
  map: "地图",
  no_results: "没有结果。请尝试取消一个筛选条件。",
  open_now: "正在营业",
  closes_at: "{time}关门",
  opens_at: "{time}开门",
  opens_on: "{day} {time}开门",
  closed: "已关闭",
  back: "返回",
  change_need: "更换服务",
  hours: "开放时间",
  today: "今天",
  closed_day: "休息",
  holiday: "法定假日",
  closure: "临时关闭",
  languages_spoken: "使用的语言",
  cost: "费用",
  cost_free: "免费",
  cost_paid: "收费",
  cost_reduced: "减免收费",
  appointment_needed: "需要预约",
  appointment_not_needed: "无需预约",
  documents: "需携带的材料",
  address: "地址",
  accessibility: "无障碍设施",
  run_by: "主办方",
  fictional: "虚构机构（演示数据）",
  call: "拨打电话",
  email: "电子邮件",
  website: "网站",
  directions: "路线",
  osm: "OpenStreetMap",
  share: "分享",
  copied: "链接已复制",
  offline: "您已离线：数据日期 {date}",
  fallback: "部分信息没有您的语言版本，以{language}显示。",
  checked: "核实于{date}",
  demo: "演示数据",
  demo_short: "并非真实名录",
  map_unavailable: "此设备无法显示地图。请使用列表。",
  map_label: "结果地图",
  you: "您的位置",
  loading: "正在加载…",
  load_failed: "无法加载数据。请检查网络连接。",
  retry: "重试",
  distance_away: "距离 {distance}",
  results: { other: "{n} 个服务窗口" },
  services_here: { other: "此处有 {n} 项服务" },
};

export const STRINGS: Record<Lang, Strings> = { it, en, fr, ar, ur, bn, uk, zh };

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export type Translator = ((key: Key, vars?: Record<string, string | number>) => string) & {
  plural: (key: "results" | "services_here", n: number) => string;
  lang: Lang;
  dir: "rtl" | "ltr";
};

export function translator(lang: Lang): Translator {
  const s = STRINGS[lang];
  const rules = new Intl.PluralRules(lang);
  const nf = new Intl.NumberFormat(lang);
  const t = ((key: Key, vars = {}) => fill(s[key] ?? en[key], vars)) as Translator;
  t.plural = (key, n) => {
    const forms = s[key];
    // Arabic has a "zero" form; CLDR gives 0 the category "zero" only in Arabic.
    const form = forms[rules.select(n)] ?? forms.other;
    return fill(form, { n: nf.format(n) });
  };
  t.lang = lang;
  t.dir = dirOf(lang);
  return t;
}

/**
 * Service content: the requested language, else Italian, else English, else any. Returns
 * the text and the language it is really in.
 */
export function pick(text: Record<string, string> | undefined | null, lang: string): { text: string; lang: string } {
  if (!text) return { text: "", lang };
  for (const l of [lang, "it", "en"]) {
    if (text[l]) return { text: text[l], lang: l };
  }
  const first = Object.keys(text).find((k) => text[k]);
  return first ? { text: text[first], lang: first } : { text: "", lang };
}

/** A language's name in the user's language ("inglese", "English", "الإنجليزية"). */
export function languageName(code: string, inLang: string): string {
  try {
    return new Intl.DisplayNames([inLang], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
