// The demo/test image `unit-fleet/hello:latest`, made without any registry: Debian's static busybox
// plus a start script, packed by hand in the `docker save` format. Building it is deterministic (fixed
// mtimes and owners), so every machine gets the same image ID, as if pulled from one registry.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';

export const IMAGE_NAME = 'unit-fleet/hello:latest';
export const IMAGE_PORT = 3000;
/** Where the tarball sits inside each machine; unit-fleet-image.service loads it into Docker. */
export const IMAGE_PATH_IN_MACHINE = '/var/lib/unit-fleet/hello-image.tar';
const BUSYBOX = '/bin/busybox';

/** PID 1 of the container. Traps TERM so that `docker stop` is immediate instead of a 10 s timeout. */
export const START_SCRIPT = `#!/bin/sh
# unit-fleet/hello: answers HTTP on $PORT (default ${IMAGE_PORT}) with one line naming the machine and
# the container. The machine is what the unit passes as MACHINE (e.g. docker run -e MACHINE=%H);
# the container is its hostname (the short container id unless --hostname says otherwise).
port="\${PORT:-${IMAGE_PORT}}"
machine="\${MACHINE:-unknown}"
container="$(hostname)"
mkdir -p /www
printf 'hello from unit-fleet/hello: machine=%s container=%s\\n' "$machine" "$container" > /www/index.html
echo "unit-fleet/hello serving on port $port (machine=$machine container=$container)"
httpd -f -p "$port" -h /www &
pid=$!
trap 'kill "$pid" 2>/dev/null; exit 0' TERM INT
wait "$pid"
`;

/** The unit that loads the image at every boot; `docker load` of an existing image is a no-op. */
export const IMAGE_UNIT = `[Unit]
Description=Load the local image ${IMAGE_NAME} (built by the Unit Fleet harness, no registry)
Requires=docker.service
After=docker.service
ConditionPathExists=${IMAGE_PATH_IN_MACHINE}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/docker load --quiet --input ${IMAGE_PATH_IN_MACHINE}

[Install]
WantedBy=multi-user.target
`;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Deterministic tar of a folder's content. */
async function tarFolder(folder: string, output: string): Promise<void> {
  await run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=gnu',
    '-C',
    folder,
    '-cf',
    output,
    '.',
  ]);
}

async function busyboxApplets(): Promise<string[]> {
  const out = await run(BUSYBOX, ['--list']);
  return out.split('\n').map((name) => name.trim()).filter((name) => /^[a-z0-9_.[-]+$/.test(name) && name !== 'busybox');
}

/**
 * Builds (or reuses from `cacheDir`) the image tarball and returns its path. The cache key covers the
 * busybox binary and the start script, so a changed input gives a new file.
 */
export async function buildImage(cacheDir: string): Promise<string> {
  const busybox = fs.readFileSync(BUSYBOX);
  const key = sha256(Buffer.concat([busybox, Buffer.from(START_SCRIPT), Buffer.from(IMAGE_NAME)])).slice(0, 16);
  const output = path.join(cacheDir, `hello-image-${key}.tar`);
  if (fs.existsSync(output)) return output;

  const build = path.join(cacheDir, `hello-build-${process.pid}`);
  fs.rmSync(build, { recursive: true, force: true });
  try {
    const rootfs = path.join(build, 'rootfs');
    for (const dir of ['bin', 'hello', 'www', 'etc', 'tmp']) fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
    fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    fs.writeFileSync(path.join(rootfs, 'bin', 'busybox'), busybox, { mode: 0o755 });
    for (const applet of await busyboxApplets()) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    fs.writeFileSync(path.join(rootfs, 'hello', 'start.sh'), START_SCRIPT, { mode: 0o755 });
    fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    fs.writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');

    const image = path.join(build, 'image');
    fs.mkdirSync(image);
    const layerTar = path.join(build, 'layer.tar');
    await tarFolder(rootfs, layerTar);
    const diffId = sha256(fs.readFileSync(layerTar));
    fs.mkdirSync(path.join(image, diffId));
    fs.renameSync(layerTar, path.join(image, diffId, 'layer.tar'));

    const created = '2024-01-01T00:00:00Z';
    const config = JSON.stringify({
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      os: 'linux',
      created,
      config: {
        Env: ['PATH=/bin', `PORT=${IMAGE_PORT}`],
        Cmd: ['/bin/sh', '/hello/start.sh'],
        ExposedPorts: { [`${IMAGE_PORT}/tcp`]: {} },
        WorkingDir: '/',
        Labels: { 'org.opencontainers.image.title': 'unit-fleet hello', 'org.opencontainers.image.source': 'harness/image.ts' },
      },
      rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
      history: [{ created, created_by: 'Unit Fleet harness: static busybox + /hello/start.sh' }],
    });
    const configId = sha256(config);
    fs.writeFileSync(path.join(image, `${configId}.json`), config);
    fs.writeFileSync(
      path.join(image, 'manifest.json'),
      JSON.stringify([{ Config: `${configId}.json`, RepoTags: [IMAGE_NAME], Layers: [`${diffId}/layer.tar`] }]),
    );

    const tmp = `${output}.${process.pid}.tmp`;
    await tarFolder(image, tmp);
    fs.renameSync(tmp, output);
    return output;
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
}

/** The image ID Docker will report (sha256 of the config), read back from a built tarball's name list. */
export async function imageIdOf(tarball: string): Promise<string> {
  const names = await run('tar', ['-tf', tarball]);
  const config = names.split('\n').map((name) => name.replace(/^\.\//, '')).find((name) => /^[0-9a-f]{64}\.json$/.test(name));
  if (!config) throw new Error(`${tarball} has no image config`);
  return `sha256:${config.slice(0, 64)}`;
}
