/// <reference types="vitest/config" />
// The operators' console (console.html → /console), built on its own after the public app
// (vite.config.ts) into the same dist/: its own entry and chunks, so nothing of it enters the
// public app's files or the service worker's precache list, and the public app's build is the
// same with or without it.
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    target: "es2020",
    outDir: "dist",
    emptyOutDir: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    rollupOptions: { input: "console.html" },
  },
});
