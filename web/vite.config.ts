/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { defineConfig, type Plugin } from "vite";

// Writes dist/sw.js from src/sw.js: the app shell to precache (every built file except the
// lazily loaded map library, which is cached the first time the map is opened) and a version
// that changes with the build.
function serviceWorker(): Plugin {
  return {
    name: "bussola-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      // The entry and what it imports statically, with their CSS; dynamic imports (the map)
      // are left to the runtime cache.
      const keep = new Set<string>();
      const visit = (name: string) => {
        const c = bundle[name];
        if (!c || keep.has(name)) return;
        keep.add(name);
        if (c.type === "chunk") {
          c.imports.forEach(visit);
          const meta = (c as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
          meta?.importedCss.forEach((f) => keep.add(f));
          meta?.importedAssets.forEach((f) => keep.add(f));
        }
      };
      for (const [name, c] of Object.entries(bundle)) if (c.type === "chunk" && c.isEntry) visit(name);
      const files = [...keep].map((f) => "/" + f).sort();
      const shell = ["/", ...files.filter((f) => f !== "/index.html"), "/manifest.webmanifest", "/icon-192.png", "/icon-512.png"];
      const version = createHash("sha256").update(shell.join("\n")).digest("hex").slice(0, 12);
      const source = readFileSync("src/sw.js", "utf8")
        .replace("__SHELL__", JSON.stringify(shell))
        .replace("__VERSION__", JSON.stringify(version));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    target: "es2020",
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
