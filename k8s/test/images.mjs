// Checks of the image builds (deploy/Dockerfile.*, .dockerignore) that need no container runtime: restore in a layer
// of its own before the sources arrive, the CUDA switch on the worker images, and a build context without models,
// weights, build outputs, dumps or the git history.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

// Dockerfile instructions, continuation lines joined, comments dropped, grouped by build stage.
const stagesOf = (text) => {
  const stages = [];
  for (const line of text.replace(/\\\r?\n/g, " ").split(/\r?\n/).map((l) => l.trim())) {
    if (!line || line.startsWith("#")) continue;
    const [op, ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(" ") };
    if (instruction.op === "FROM") stages.push({ from: instruction.args, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
};

// A .dockerignore pattern as Docker reads it (Go filepath.Match plus "**"); a path is out when it or a folder above
// it matches the last pattern that applies, and "!" patterns bring paths back.
const patternOf = (line) => {
  const negate = line.startsWith("!");
  const glob = (negate ? line.slice(1) : line).trim().replace(/^\/+/, "").replace(/\/+$/, "");
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") { re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*"; i += glob[i + 2] === "/" ? 2 : 1; }
    else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") { const end = glob.indexOf("]", i); re += glob.slice(i, end + 1); i = end; }
    else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return { negate, regex: new RegExp(`^${re}$`) };
};
const ignoredBy = (patterns) => (path) => {
  const parts = path.split("/");
  let out = false;
  for (const p of patterns)
    if (parts.some((_, k) => p.regex.test(parts.slice(0, k + 1).join("/")))) out = !p.negate;
  return out;
};

export function checkImages(repository, check) {
  const deploy = join(repository, "deploy");
  for (const file of readdirSync(deploy).filter((f) => f.startsWith("Dockerfile.")).sort()) {
    const stages = stagesOf(readFileSync(join(deploy, file), "utf8"));
    const build = stages.find((s) => s.instructions.some((i) => i.op === "RUN" && /dotnet publish/.test(i.args)));
    if (!build) continue;
    const steps = build.instructions;
    const restore = steps.findIndex((i) => i.op === "RUN" && /dotnet restore/.test(i.args));
    const sources = steps.findIndex((i) => i.op === "COPY" && !i.args.includes("--from") && /^\.\s/.test(i.args));
    const publish = steps.find((i) => i.op === "RUN" && /dotnet publish/.test(i.args));
    check(`deploy/${file} restores in its own layer before the sources are copied`,
      restore >= 0 && sources > restore && /--no-restore/.test(publish.args),
      `restore at step ${restore}, sources at step ${sources}, publish ${/--no-restore/.test(publish.args) ? "" : "restores again"}`);
    // Before restore only project files may arrive: a whole-context copy there would bust the restore cache.
    const early = steps.slice(0, Math.max(restore, 0)).filter((i) => i.op === "COPY" || i.op === "ADD");
    const projectsOnly = early.every((i) => {
      const from = /--from=(\S+)/.exec(i.args)?.[1];
      if (from) return stages.find((s) => s.from.split(/\s+as\s+/i)[1] === from)?.instructions.some((j) => j.op === "RUN" && /\.csproj/.test(j.args) && /-delete/.test(j.args));
      return i.args.split(/\s+/).slice(0, -1).every((src) => /(\.sln|\.csproj|\.props|\.targets|global\.json|nuget\.config)$/i.test(src));
    });
    check(`deploy/${file} copies only project files before the restore`, restore >= 0 && projectsOnly);
    if (stages.some((s) => s.from.startsWith("nvidia/cuda"))) {
      const restoreStep = steps[restore]?.args ?? "";
      check(`deploy/${file} builds the CUDA libtorch (-p:TorchBackend=cuda on restore and publish)`,
        /-p:TorchBackend=cuda\b/.test(restoreStep) && /-p:TorchBackend=cuda\b/.test(publish.args));
    }
  }

  const ignoreFile = join(repository, ".dockerignore");
  check(".dockerignore exists at the repository root", existsSync(ignoreFile));
  const patterns = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map(patternOf)
    : [];
  const ignored = ignoredBy(patterns);
  const out = ["models/demo/psp.pt", "models/ffhq/manifest.json", ".git/HEAD", "src/Editing/bin/Release/net10.0/x.dll",
    "src/Editing/obj/project.assets.json", "k8s/test/node_modules/yaml/package.json", "tests/Distributed.Tests/TestResults/r.trx",
    "weights/pSp_ffhq_encode.pt", "checkpoints/g.safetensors", "erl_crash.dump", "src/Cli/crash.dmp"];
  for (const path of out) check(`.dockerignore leaves ${path} out of the build context`, ignored(path));
  const kept = ["Pipeline.sln", "Directory.Build.props", "Directory.Packages.props", "build/LibTorchSharpLoaderFix.targets",
    "src/Workers.Invert/Workers.Invert.csproj", "src/Workers.Invert/Program.cs", "src/Analyzers/Analyzers.csproj"];
  for (const path of kept) check(`.dockerignore keeps ${path} in the build context`, !ignored(path));
}
