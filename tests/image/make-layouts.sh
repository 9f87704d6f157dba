#!/bin/sh
# tests/image/make-layouts.sh OUTDIR: makes the small real images the image
# module's tests read, with umoci and skopeo (and python3 for the layouts no
# tool writes: a multi-platform index, a multi-image docker-archive, a
# Docker 25 style archive, and broken copies). Exits 77 when a tool is
# missing, so that the test is skipped.
set -eu
O=${1:?usage: make-layouts.sh OUTDIR}
for t in umoci skopeo python3 tar; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done
mkdir -p "$O"
cd "$O"

# Two small layers: an os-release and a dpkg status, then a second file.
mkdir -p r1/etc r1/var/lib/dpkg r2/etc
printf 'ID=debian\nVERSION_ID="12"\n' > r1/etc/os-release
printf 'Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n' > r1/var/lib/dpkg/status
echo second > r2/etc/second
tar -C r1 -cf layer1.tar etc var
tar -C r2 -cf layer2.tar etc

umoci init --layout oci
umoci new --image oci:empty
umoci raw add-layer --image oci:empty --tag one layer1.tar
umoci raw add-layer --image oci:one --tag two layer2.tar
umoci config --image oci:two --tag two --os linux --architecture amd64 >/dev/null

skopeo copy -q oci:oci:two docker-archive:docker.tar:demo:two
skopeo copy -q oci:oci:one docker-archive:docker-one.tar:demo:one
skopeo copy -q --dest-compress --dest-compress-format=zstd oci:oci:two oci:oci-zstd:two

python3 - <<'EOF'
import hashlib, io, json, os, shutil, tarfile

def blob(layout, data):
    d = hashlib.sha256(data).hexdigest()
    os.makedirs(f"{layout}/blobs/sha256", exist_ok=True)
    with open(f"{layout}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return "sha256:" + d

def read_blob(layout, digest):
    with open(f"{layout}/blobs/sha256/{digest[7:]}", "rb") as f:
        return f.read()

def jdump(o):
    return json.dumps(o, separators=(",", ":")).encode()

index = json.load(open("oci/index.json"))
tags = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in index["manifests"]}

# multi: a nested Docker manifest list with amd64, arm64/v8 (Docker schema2
# media types) and an attestation-like unknown/unknown entry, tag "multi",
# next to the single image "one".
shutil.copytree("oci", "multi")
two = json.loads(read_blob("multi", tags["two"]["digest"]))
cfg = json.loads(read_blob("multi", two["config"]["digest"]))
cfg["architecture"] = "arm64"; cfg["variant"] = "v8"
arm_cfg = jdump(cfg)
arm = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
       "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                  "digest": blob("multi", arm_cfg), "size": len(arm_cfg)},
       "layers": [dict(l, mediaType="application/vnd.docker.image.rootfs.diff.tar.gzip") for l in two["layers"]]}
arm_m = jdump(arm)
lst = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
       "manifests": [
           {"mediaType": tags["two"]["mediaType"], "digest": tags["two"]["digest"], "size": tags["two"]["size"],
            "platform": {"os": "linux", "architecture": "amd64"}},
           {"mediaType": arm["mediaType"], "digest": blob("multi", arm_m), "size": len(arm_m),
            "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
           {"mediaType": tags["one"]["mediaType"], "digest": tags["one"]["digest"], "size": tags["one"]["size"],
            "platform": {"os": "unknown", "architecture": "unknown"}}]}
lst_b = jdump(lst)
json.dump({"schemaVersion": 2, "manifests": [
    {"mediaType": lst["mediaType"], "digest": blob("multi", lst_b), "size": len(lst_b),
     "annotations": {"org.opencontainers.image.ref.name": "multi"}},
    tags["one"]]}, open("multi/index.json", "w"))

def image_of(layout, mdigest):
    m = json.loads(read_blob(layout, mdigest))
    c = json.loads(read_blob(layout, m["config"]["digest"]))
    return {"manifest": mdigest, "config": m["config"]["digest"],
            "layers": [l["digest"] for l in m["layers"]], "sizes": [l["size"] for l in m["layers"]],
            "media": [l["mediaType"] for l in m["layers"]], "diff_ids": c["rootfs"]["diff_ids"]}
expected = {"two": image_of("oci", tags["two"]["digest"]), "one": image_of("oci", tags["one"]["digest"]),
            "arm": image_of("multi", blob("multi", arm_m)), "list": blob("multi", lst_b),
            "zstd": image_of("oci-zstd", json.load(open("oci-zstd/index.json"))["manifests"][0]["digest"])}

# deep: indexes nested 6 deep.
shutil.copytree("oci", "deep")
d = tags["two"]
for i in range(6):
    b = jdump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [d]})
    d = {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": blob("deep", b), "size": len(b)}
json.dump({"schemaVersion": 2, "manifests": [dict(d, annotations={"org.opencontainers.image.ref.name": "deep"})]},
          open("deep/index.json", "w"))

# Broken copies of the layout.
def broken(name, index_obj=None, index_text=None):
    shutil.copytree("oci", name)
    if index_text is not None:
        open(f"{name}/index.json", "w").write(index_text)
    elif index_obj is not None:
        json.dump(index_obj, open(f"{name}/index.json", "w"))
broken("bad-noindex"); os.remove("bad-noindex/index.json")
broken("bad-json", index_text='{"schemaVersion": 2, "manifests": [ {"digest": ')
broken("bad-traversal", {"schemaVersion": 2, "manifests": [
    dict(tags["two"], digest="sha256:../../../../../../etc/passwd")]})
broken("bad-layout"); open("bad-layout/oci-layout", "w").write('{"imageLayoutVersion":"2.0.0"}')
broken("bad-digest")      # the manifest blob's content changed, its name kept
m = json.loads(read_blob("bad-digest", tags["two"]["digest"])); m["annotations"] = {"x": "y" * 3}
p = f"bad-digest/blobs/sha256/{tags['two']['digest'][7:]}"
os.chmod(p, 0o644); open(p, "wb").write(jdump(m)[:tags["two"]["size"]].ljust(tags["two"]["size"], b" "))
broken("bad-size", {"schemaVersion": 2, "manifests": [dict(tags["two"], size=tags["two"]["size"] + 1)]})
broken("bad-missing-layer")
os.remove(f"bad-missing-layer/blobs/sha256/{json.loads(read_blob('oci', tags['two']['digest']))['layers'][1]['digest'][7:]}")

# foreign: a non-distributable layer whose blob is not in the layout.
shutil.copytree("oci", "foreign")
m = json.loads(read_blob("foreign", tags["two"]["digest"]))
c = json.loads(read_blob("foreign", m["config"]["digest"]))
gone = "sha256:" + "f" * 64
c["rootfs"]["diff_ids"].append(gone)
cb = jdump(c)
m["config"] = dict(m["config"], digest=blob("foreign", cb), size=len(cb))
m["layers"].append({"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                    "digest": gone, "size": 1234, "urls": ["https://example.com/layer"]})
mb = jdump(m)
json.dump({"schemaVersion": 2, "manifests": [dict(tags["two"], digest=blob("foreign", mb), size=len(mb))]},
          open("foreign/index.json", "w"))

# A docker-archive with two images (demo:two, demo:one), written like skopeo.
def members(path):
    with tarfile.open(path) as t:
        return [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
seen = set()
with tarfile.open("docker-multi.tar", "w", format=tarfile.PAX_FORMAT) as out:
    mans = []
    for src in ("docker.tar", "docker-one.tar"):
        for m, data in members(src):
            if m.name == "manifest.json":
                mans += json.loads(data)
            elif m.name not in ("repositories",) and m.name not in seen:
                seen.add(m.name)
                out.addfile(m, io.BytesIO(data) if data is not None else None)
    mj = jdump(mans)
    ti = tarfile.TarInfo("manifest.json"); ti.size = len(mj)
    out.addfile(ti, io.BytesIO(mj))

# A Docker 25 style archive: an OCI layout of uncompressed layers plus
# manifest.json naming blobs/sha256/<hex>.
mans = json.loads(dict((m.name, d) for m, d in members("docker.tar"))["manifest.json"])[0]
files = dict((m.name, d) for m, d in members("docker.tar"))
def follow(name):
    with tarfile.open("docker.tar") as t:
        m = t.getmember(name)
        return t.extractfile(m).read()
cfg_b = files[mans["Config"]]
layers = [follow(l) for l in mans["Layers"]]
def dg(b): return "sha256:" + hashlib.sha256(b).hexdigest()
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": dg(cfg_b), "size": len(cfg_b)},
       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": dg(l), "size": len(l)} for l in layers]}
man_b = jdump(man)
idx = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
    {"mediaType": man["mediaType"], "digest": dg(man_b), "size": len(man_b),
     "annotations": {"io.containerd.image.name": "docker.io/library/demo:two",
                     "org.opencontainers.image.ref.name": "two"}}]}
mj = [{"Config": "blobs/sha256/" + dg(cfg_b)[7:], "RepoTags": ["demo:two"],
       "Layers": ["blobs/sha256/" + dg(l)[7:] for l in layers]}]
with tarfile.open("docker25.tar", "w", format=tarfile.USTAR_FORMAT) as out:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data)
        out.addfile(ti, io.BytesIO(data))
    for d in ["blobs", "blobs/sha256"]:
        ti = tarfile.TarInfo(d); ti.type = tarfile.DIRTYPE; out.addfile(ti)
    for b in [cfg_b, man_b] + layers:
        add("blobs/sha256/" + dg(b)[7:], b)
    add("index.json", jdump(idx))
    add("manifest.json", jdump(mj))
    add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
expected["docker25"] = {"manifest": dg(man_b), "config": dg(cfg_b), "layers": [dg(l) for l in layers],
                        "sizes": [len(l) for l in layers]}
expected["docker"] = {"config": dg(cfg_b), "diff_ids": json.loads(cfg_b)["rootfs"]["diff_ids"],
                      "sizes": [len(l) for l in layers], "layers": [dg(l) for l in layers]}
one = json.loads(dict((m.name, d) for m, d in members("docker-one.tar"))["manifest.json"])[0]
expected["docker-one"] = {"config": "sha256:" + one["Config"][:64]}
json.dump(expected, open("expected.json", "w"), indent=1)
EOF

# A truncated archive: cut in the middle of the first layer.
head -c 3000 docker.tar > docker-truncated.tar
# A root filesystem folder.
mkdir -p rootfs/etc && cp r1/etc/os-release rootfs/etc/
echo ok > done
