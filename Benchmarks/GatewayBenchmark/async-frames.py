#!/usr/bin/env python3
"""Lists the async frame (context) size of every Swift async function in an ELF binary.

Each async function has an "async function pointer" symbol (mangled name ending in `Tu`) whose
second 32-bit word is the size of the frame the callee allocates on its task's allocator. A
task keeps what its deepest call needed for as long as it lives, so these sizes decide the
memory of many long-lived tasks (BENCHMARKS.md §3).

    python3 async-frames.py .build-bench/gateway-build/release/gateway-bench [substring]
"""
import struct
import subprocess
import sys

binary = sys.argv[1]
pattern = sys.argv[2] if len(sys.argv) > 2 else ""
symbols = [line.split() for line in subprocess.run(["nm", binary], capture_output=True, text=True).stdout.splitlines()]
pointers = [(int(address, 16), name) for address, _, name in (s for s in symbols if len(s) == 3) if name.endswith("Tu")]
data = open(binary, "rb").read()
section_offset = struct.unpack_from("<Q", data, 0x28)[0]
entry_size, count = struct.unpack_from("<HH", data, 0x3A)
sections = []
for index in range(count):
    _, _, _, address, offset, size = struct.unpack_from("<IIQQQQ", data, section_offset + index * entry_size)
    if address:
        sections.append((address, offset, size))


def file_offset(address):
    for start, offset, size in sections:
        if start <= address < start + size:
            return offset + address - start
    return None


sizes = []
for address, name in pointers:
    offset = file_offset(address)
    if offset is not None:
        sizes.append((struct.unpack_from("<iI", data, offset)[1], name))
sizes.sort(reverse=True)
names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(n for _, n in sizes),
                       capture_output=True, text=True).stdout.splitlines()
for (size, _), name in zip(sizes, names):
    name = name.replace("async function pointer to ", "")
    if pattern in name:
        print(f"{size:6d}  {name[:140]}")
