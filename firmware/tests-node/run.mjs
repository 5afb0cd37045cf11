// Runs a MicroPython script in MicroPython's WebAssembly port with the firmware core importable.
//
//   node run.mjs SCRIPT.py [INPUT] [OUTPUT]
//
// firmware/__init__.py, core.py and hub12.py are copied into the interpreter's file system
// under /lib/firmware/; INPUT (if given) is there as /input.json, and whatever the script
// writes to /output.json is copied to OUTPUT. Exit status 1 when the script raises.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const firmware = dirname(dirname(fileURLToPath(import.meta.url)));
const [script, input, output] = process.argv.slice(2);
const mp = await loadMicroPython({
  heapsize: 64 * 1024 * 1024,
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
mp.FS.mkdir("/lib");
mp.FS.mkdir("/lib/firmware");
for (const name of ["__init__.py", "core.py", "hub12.py"]) {
  mp.FS.writeFile(`/lib/firmware/${name}`, readFileSync(join(firmware, name)));
}
if (input) mp.FS.writeFile("/input.json", readFileSync(input));
try {
  mp.runPython("import sys\nsys.path.insert(0, '/lib')");
  mp.runPython(readFileSync(script, "utf8"));
} catch (err) {
  process.stderr.write(String(err.message ?? err) + "\n");
  process.exit(1);
}
if (output) writeFileSync(output, mp.FS.readFile("/output.json"));
