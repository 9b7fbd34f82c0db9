// A disk cache of ts-node's transpiled output, for the CLI tools only.
//
// `npm run plan` must answer in under 3 s. About a third of a cold run is
// ts-node transpiling the program and the tools (~40 files), every time: ts-node
// 10 keeps no cache of its own. This keeps each file's JavaScript under
// node_modules/.cache, keyed by the file's path and content, the TypeScript and
// ts-node versions and the compiler options, so a changed file is transpiled
// afresh. Only in ts-node's transpile-only mode (as the npm scripts run), where
// a file's output depends on nothing but the file.
//
// Importing this module installs the cache only when the process's main module
// is a script under scripts/ run by ts-node; in tests (mocha is the main
// module) it does nothing. Any cache error falls back to ts-node.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "raxx-platform-ts");

type Handler = (m: NodeJS.Module & { _compile(code: string, filename: string): unknown }, filename: string) => void;

interface TsNodeService {
    readonly transpileOnly: boolean;
    readonly ts: { readonly version: string };
    readonly config: { readonly options: unknown };
}

function install(): void {
    const extensions = require.extensions as unknown as Record<string, Handler | undefined>;
    const tsNode = extensions[".ts"];
    const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for("ts-node.register.instance")];
    // With type checking on, a cached file would skip its check: cache only what transpile-only mode does.
    if (tsNode === undefined || service === undefined || !service.transpileOnly) return;
    let salt: string;
    try {
        const tsNodeVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "ts-node", "package.json"), "utf8")) as { version: string }).version;
        salt = `${service.ts.version}|${tsNodeVersion}|${JSON.stringify(service.config.options)}`;
        fs.mkdirSync(CACHE, { recursive: true });
    } catch {
        return;
    }
    extensions[".ts"] = (m, filename) => {
        let file: string;
        try {
            const source = fs.readFileSync(filename, "utf8");
            file = path.join(CACHE, `${crypto.createHash("sha256").update(`${salt}\0${filename}\0${source}`).digest("hex")}.js`);
        } catch {
            return tsNode(m, filename);
        }
        let cached: string | undefined;
        try {
            cached = fs.readFileSync(file, "utf8");
        } catch {
            cached = undefined;
        }
        if (cached !== undefined) {
            m._compile(cached, filename);
            return;
        }
        // ts-node wraps `_compile` to transpile what the `.js` loader reads: catch its output on the way.
        const compile = m._compile;
        m._compile = function (code: string, name: string) {
            m._compile = compile;
            try {
                const tmp = `${file}.${process.pid}.tmp`;
                fs.writeFileSync(tmp, code);
                fs.renameSync(tmp, file);
            } catch {
                // A read-only tree: run uncached.
            }
            return compile.call(this, code, name);
        };
        tsNode(m, filename);
    };
}

const main = require.main?.filename ?? "";
if (main.startsWith(path.join(ROOT, "scripts") + path.sep) && !process.env.RAXX_NO_TRANSPILE_CACHE) install();
