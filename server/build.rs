//! Builds the web app (`web/`, Vite + TypeScript) into `web/dist`, which the server embeds, so
//! `cargo run -- serve` serves the whole product from one binary on a fresh machine.
//!
//! Runs `npm ci` when `web/node_modules` is missing and `npm run build` whenever the web
//! sources change. `BUSSOLA_SKIP_WEB_BUILD=1` skips both (the server then embeds whatever
//! `web/dist` holds, possibly nothing, and says so at `/`).

use std::path::Path;
use std::process::Command;

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
    for p in [
        "src",
        "public",
        "index.html",
        "console.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "vite.console.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(p).display());
    }
    // The map's context land, which the app bundles as an asset.
    println!(
        "cargo:rerun-if-changed={}",
        web.join("../data/territory/context-land.geojson").display()
    );
    // `sqlx::migrate!` embeds `migrations/` at compile time but cannot tell cargo so on stable:
    // a new or edited migration must rebuild the server.
    println!(
        "cargo:rerun-if-changed={}",
        web.join("../migrations").display()
    );
    println!("cargo:rerun-if-env-changed=BUSSOLA_SKIP_WEB_BUILD");
    let dist = web.join("dist");
    if std::env::var("BUSSOLA_SKIP_WEB_BUILD").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(&dist).expect("create web/dist");
        return;
    }
    // Install when node_modules is missing or older than the lock file (after a pull).
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < modified(&web.join("package-lock.json")) {
        npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(&web, &["run", "build"]);
}

fn npm(dir: &Path, args: &[&str]) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap_or_else(|e| {
            panic!("the web app needs Node.js and npm to build (npm {args:?}: {e}); install them, or set BUSSOLA_SKIP_WEB_BUILD=1 to build the server without the app")
        });
    assert!(status.success(), "npm {args:?} in web/ failed: {status}");
}
