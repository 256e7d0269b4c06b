#!/usr/bin/env bash
# The GPU check (docs/devices.md): on a machine with an NVIDIA GPU, driver and network access to nuget.org, from the
# repository root:
#
#   bash deploy/gpu/check.sh [OUT_DIR]
#
# 1. builds the CLI with the CUDA libtorch (-p:TorchBackend=cuda) into its own artifacts folder, so the CPU build's
#    bin/ and obj/ stay as they are;
# 2. `pipeline bench devices --device cuda`: every stage's outputs on the CPU and on the GPU from the same inputs,
#    max-abs and PSNR against the bounds in src/Editing.Bench/DeviceComparison.cs (exit 3 when one is outside);
# 3. `pipeline edit --device cuda` on samples/ through the embedded pipeline, and checks that item.json records cuda
#    for every stage;
# 4. `pipeline bench method` on the CPU and on the GPU (official configuration, formula weights) for the timings.
#
# Results (Markdown tables, logs) go to OUT_DIR (default out/gpu-check). PIPELINE=path/to/pipeline skips the build
# (a CUDA build made elsewhere); MODELS=DIR picks another model pack (default models/demo); DEVICE=cuda:N another GPU
# (DEVICE=cpu runs the same steps CPU against CPU: the script's own dry run); TIMINGS=0 leaves out step 4.
set -euo pipefail

out="${1:-out/gpu-check}"
models="${MODELS:-models/demo}"
device="${DEVICE:-cuda}"
mkdir -p "$out"
status=0

if [[ "$device" == cuda* ]]; then
    echo "== machine"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt" || {
        echo "nvidia-smi failed: no NVIDIA driver or GPU visible" >&2
        exit 2
    }
fi

if [[ -z "${PIPELINE:-}" ]]; then
    echo "== build (TorchBackend=cuda)"
    artifacts="$out/artifacts"
    dotnet build src/Cli -c Release -p:TorchBackend=cuda --artifacts-path "$artifacts" 2>&1 | tail -n 3
    PIPELINE="$(find "$artifacts/bin" -type f -name pipeline -perm -u+x | head -n 1)"
    [[ -n "$PIPELINE" ]] || { echo "no pipeline executable under $artifacts/bin" >&2; exit 2; }
fi
echo "pipeline: $PIPELINE"

echo "== bench devices (cpu against $device)"
"$PIPELINE" bench devices --models "$models" --device "$device" --markdown "$out/devices.md" 2> "$out/devices.log" || status=$?

echo "== edit on $device through the embedded pipeline"
rm -rf "$out/edit"
if "$PIPELINE" edit --input samples --edit smile=+1 --models "$models" --out "$out/edit" --device "$device" 2> "$out/edit.log"; then
    missing=""
    for stage in invert diffcam deghost; do
        missing+=$(grep -L "\"$stage\": \"$device\"" "$out"/edit/*/item.json || true)
    done
    if [[ -n "$missing" ]]; then
        echo "item.json files that do not record $device for every stage: $missing" >&2
        status=1
    else
        echo "every item.json records $device for invert, diffcam and deghost"
    fi
else
    echo "edit failed (see $out/edit.log)" >&2
    status=1
fi

if [[ "${TIMINGS:-1}" != 0 ]]; then
    echo "== bench method (timings)"
    "$PIPELINE" bench method --device cpu --runs 2 --markdown "$out/method-cpu.md" 2> "$out/method-cpu.log" || status=1
    "$PIPELINE" bench method --device "$device" --runs 5 --markdown "$out/method-$device.md" 2> "$out/method-$device.log" || status=1
fi

echo "== result: $([[ $status == 0 ]] && echo PASS || echo "FAIL ($status)"); tables in $out"
exit "$status"
