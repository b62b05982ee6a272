//! The sign-in page's words, in the languages it speaks (Italian first: the fallback).

/// One language's words.
pub struct Words {
    pub code: &'static str,
    pub rtl: bool,
    pub title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub submit: &'static str,
    pub problem: &'static str,
    pub wrong: &'static str,
    pub missing_username: &'static str,
    pub missing_password: &'static str,
    /// `{n}` is replaced by the minutes to wait.
    pub throttled: &'static str,
    pub busy: &'static str,
    pub expired_form: &'static str,
}

/// Every language of the page.
pub const ALL: [Words; 4] = [
    Words {
        code: "it",
        rtl: false,
        title: "Accedi a Bussola",
        username: "Nome utente",
        password: "Password",
        submit: "Accedi",
        problem: "C’è un problema",
        wrong: "Nome utente o password errati.",
        missing_username: "Scrivi il nome utente.",
        missing_password: "Scrivi la password.",
        throttled: "Troppi tentativi. Riprova tra {n} minuti.",
        busy: "Il server è occupato. Riprova tra poco.",
        expired_form: "Il modulo è scaduto. Riprova.",
    },
    Words {
        code: "en",
        rtl: false,
        title: "Sign in to Bussola",
        username: "User name",
        password: "Password",
        submit: "Sign in",
        problem: "There is a problem",
        wrong: "Wrong user name or password.",
        missing_username: "Enter your user name.",
        missing_password: "Enter your password.",
        throttled: "Too many attempts. Try again in {n} minutes.",
        busy: "The server is busy. Try again in a moment.",
        expired_form: "The form has expired. Try again.",
    },
    Words {
        code: "ar",
        rtl: true,
        title: "تسجيل الدخول إلى Bussola",
        username: "اسم المستخدم",
        password: "كلمة المرور",
        submit: "تسجيل الدخول",
        problem: "هناك مشكلة",
        wrong: "اسم المستخدم أو كلمة المرور غير صحيحة.",
        missing_username: "أدخل اسم المستخدم.",
        missing_password: "أدخل كلمة المرور.",
        throttled: "محاولات كثيرة جدًا. حاول مرة أخرى بعد {n} دقيقة.",
        busy: "الخادم مشغول. حاول مرة أخرى بعد قليل.",
        expired_form: "انتهت صلاحية النموذج. حاول مرة أخرى.",
    },
    Words {
        code: "ur",
        rtl: true,
        title: "Bussola میں سائن ان کریں",
        username: "صارف نام",
        password: "پاس ورڈ",
        submit: "سائن ان",
        problem: "ایک مسئلہ ہے",
        wrong: "صارف نام یا پاس ورڈ غلط ہے۔",
        missing_username: "اپنا صارف نام لکھیں۔",
        missing_password: "اپنا پاس ورڈ لکھیں۔",
        throttled: "بہت زیادہ کوششیں۔ {n} منٹ بعد دوبارہ کوشش کریں۔",
        busy: "سرور مصروف ہے۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔",
        expired_form: "فارم کی مدت ختم ہو گئی۔ دوبارہ کوشش کریں۔",
    },
];

/// The words for a BCP 47 tag: its primary subtag, else Italian.
pub fn for_tag(tag: &str) -> &'static Words {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    ALL.iter().find(|w| w.code == primary).unwrap_or(&ALL[0])
}
