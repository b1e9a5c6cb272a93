/**
 * Vite build for the Stateyard studio: one entry (src/main.tsx) built into
 * ../static/dist with a manifest that Django's {% vite_assets %} tag reads.
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/static/dist/",
  build: {
    outDir: "../static/dist",
    emptyOutDir: true,
    manifest: true,
    // no source maps in the shipped bundle: nothing to collect, nothing public
    sourcemap: false,
    rollupOptions: {
      input: "src/main.tsx",
    },
  },
  worker: {
    format: "es",
  },
});
