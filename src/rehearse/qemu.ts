import * as fs from 'fs';
import { RehearseError } from './process';

const BINFMT = '/proc/sys/fs/binfmt_misc';

/** QEMU's name of a platform's CPU. */
const QEMU_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', arm: 'arm', ppc64le: 'ppc64le', s390x: 's390x' };

/** The platform architecture of this machine. */
function hostArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

/**
 * Makes sure foreign-platform binaries can run (for RUN steps): registers QEMU's binfmt handler
 * where it is installed but not registered. Returns an undo function for what it registered.
 */
export function ensureEmulation(platforms: readonly string[]): () => void {
  const registered: string[] = [];
  for (const platform of platforms) {
    const arch = platform.split('/')[1];
    if (arch === hostArch()) continue;
    const qemu = QEMU_ARCH[arch];
    if (!qemu) throw new RehearseError(`no QEMU emulation is known for ${platform}`);
    if (fs.existsSync(`${BINFMT}/qemu-${qemu}`)) continue;
    const conf = `/usr/lib/binfmt.d/qemu-${qemu}.conf`;
    if (!fs.existsSync(conf)) throw new RehearseError(`RUN steps for ${platform} need QEMU: install qemu-user-static (apt-get install qemu-user-static)`);
    try {
      if (!fs.existsSync(`${BINFMT}/register`)) throw new Error(`${BINFMT} is not mounted (mount -t binfmt_misc binfmt_misc ${BINFMT})`);
      fs.writeFileSync(`${BINFMT}/register`, fs.readFileSync(conf, 'utf-8').trim());
      registered.push(qemu);
    } catch (e: any) {
      throw new RehearseError(`cannot register QEMU for ${platform} (${e.message}); run as root or register it once: cat ${conf} > ${BINFMT}/register`);
    }
  }
  return () => {
    for (const qemu of registered) {
      try {
        fs.writeFileSync(`${BINFMT}/qemu-${qemu}`, '-1');
      } catch {
        // already gone
      }
    }
  };
}
