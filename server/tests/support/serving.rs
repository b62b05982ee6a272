//! `bussola serve` as a child process on one [`Backend`], reached over real HTTP with
//! `reqwest`; killed when dropped.
#![allow(dead_code)]

use super::Backend;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running server and its base URL (`http://127.0.0.1:PORT`).
pub struct Serving {
    pub child: Child,
    pub base: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Backend {
    /// `bussola serve` on this backend with `env` on top, once `/readyz` answers 200.
    pub async fn serve(&self, env: &[(&str, &str)]) -> Serving {
        let port = super::free_port();
        let mut command = self.command();
        command
            .args(["serve"])
            .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        let server = Serving {
            child: command.spawn().expect("spawn bussola serve"),
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await {
                if r.status().is_success() {
                    return server;
                }
            }
            assert!(Instant::now() < deadline, "server did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
