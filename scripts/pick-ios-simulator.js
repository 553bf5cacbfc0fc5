#!/usr/bin/env node
'use strict';
/**
 * Picks the iOS simulator the device job's Detox run uses from what the runner has installed, and writes
 * TRACEHOP_IOS_SIMULATOR (a device type name) and TRACEHOP_IOS_OS (a runtime name) to $GITHUB_ENV, where
 * .detoxrc.js reads them. Detox finds its simulator with applesimutils --list --byType <type> --byOS <os>: an
 * existing, available simulator of that device type on that runtime. A hard-coded pair goes stale when the runner
 * image drops the runtime, so:
 *
 * - the runtime is TRACEHOP_IOS_OS when set (it must be installed), else the available iOS runtime whose version
 *   is the selected Xcode's simulator SDK (`xcrun --sdk iphonesimulator --show-sdk-version`), else, with a
 *   warning, the newest available iOS runtime;
 * - the device type is TRACEHOP_IOS_SIMULATOR when set (the runtime must support it), else iPhone 16 when the
 *   runtime supports it, else, with a notice, the last iPhone the runtime lists (simctl lists the newest last);
 * - a simulator of that type on that runtime is created (`xcrun simctl create`) when the runner has none.
 *
 * Anything else fails with an ::error:: naming what is installed.
 *
 *   node scripts/pick-ios-simulator.js
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const DEFAULT_TYPE = 'iPhone 16';

/**
 * @typedef {{ identifier: string, name: string, productFamily?: string }} DeviceType
 * @typedef {{ identifier: string, name: string, version: string, platform?: string, isAvailable?: boolean, supportedDeviceTypes?: DeviceType[] }} Runtime
 * @typedef {{ udid: string, name: string, deviceTypeIdentifier?: string, isAvailable?: boolean }} Device
 * @typedef {{ runtimes?: Runtime[], devicetypes?: DeviceType[], devices?: Record<string, Device[]> }} SimctlList
 * @typedef {{ runtime: Runtime, type: DeviceType, device: Device | undefined, notes: string[] }} Pick
 */

/** "18.5" -> [18, 5]; "18.5.1" -> [18, 5, 1]. */
function versionParts(version) {
  return String(version)
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

function compareVersions(a, b) {
  const left = versionParts(a);
  const right = versionParts(b);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The same major.minor: the SDK says "18.5" where a runtime may say "18.5" or "18.5.1". */
function sameMinor(a, b) {
  const [leftMajor, leftMinor] = versionParts(a);
  const [rightMajor, rightMinor] = versionParts(b);
  return leftMajor === rightMajor && (leftMinor ?? 0) === (rightMinor ?? 0);
}

function isIosRuntime(runtime) {
  return (runtime.platform === 'iOS' || /^iOS /.test(runtime.name)) && runtime.isAvailable === true;
}

function names(items) {
  return items.length === 0 ? 'none' : items.map((item) => `"${item.name}"`).join(', ');
}

/**
 * @param {SimctlList} list what `xcrun simctl list --json` prints
 * @param {{ sdkVersion: string, os?: string, type?: string }} wanted
 * @returns {{ ok: true, value: Pick } | { ok: false, cause: string, hint: string }}
 */
function pickSimulator(list, wanted) {
  const notes = [];
  const runtimes = (list.runtimes ?? []).filter(isIosRuntime).sort((a, b) => compareVersions(a.version, b.version));
  if (runtimes.length === 0) {
    return {
      ok: false,
      cause: 'xcrun simctl list runtimes shows no available iOS runtime',
      hint: 'Pin an Xcode the runner image ships with its simulator runtime, or install one (xcodebuild -downloadPlatform iOS).',
    };
  }
  let runtime;
  if (wanted.os) {
    runtime = runtimes.find((entry) => entry.name === wanted.os || entry.version === wanted.os);
    if (runtime === undefined) {
      return {
        ok: false,
        cause: `TRACEHOP_IOS_OS is "${wanted.os}", which is no available iOS runtime (available: ${names(runtimes)})`,
        hint: 'Set TRACEHOP_IOS_OS to one of them, or leave it unset to take the runtime of the selected Xcode.',
      };
    }
  } else {
    runtime = runtimes.filter((entry) => sameMinor(entry.version, wanted.sdkVersion)).at(-1);
    if (runtime === undefined) {
      runtime = runtimes[runtimes.length - 1];
      notes.push(
        `::warning::No available iOS runtime matches the selected Xcode's simulator SDK ${wanted.sdkVersion} (available: ${names(runtimes)}); using the newest, "${runtime.name}".`,
      );
    }
  }
  const supported =
    runtime.supportedDeviceTypes && runtime.supportedDeviceTypes.length > 0
      ? runtime.supportedDeviceTypes
      : (list.devicetypes ?? []);
  const iPhones = supported.filter((entry) => (entry.productFamily ?? '') === 'iPhone' || /^iPhone/.test(entry.name));
  let type;
  if (wanted.type) {
    type = supported.find((entry) => entry.name === wanted.type || entry.identifier === wanted.type);
    if (type === undefined) {
      return {
        ok: false,
        cause: `TRACEHOP_IOS_SIMULATOR is "${wanted.type}", a device type "${runtime.name}" does not support (its iPhones: ${names(iPhones)})`,
        hint: 'Set TRACEHOP_IOS_SIMULATOR to one of them, or leave it unset to take iPhone 16 or the newest iPhone.',
      };
    }
  } else {
    type = iPhones.find((entry) => entry.name === DEFAULT_TYPE) ?? iPhones[iPhones.length - 1];
    if (type === undefined) {
      return {
        ok: false,
        cause: `"${runtime.name}" supports no iPhone device type`,
        hint: 'Run `xcrun simctl list devicetypes` on the runner; set TRACEHOP_IOS_SIMULATOR to a device type the runtime supports.',
      };
    }
    if (type.name !== DEFAULT_TYPE)
      notes.push(`::notice::"${runtime.name}" has no ${DEFAULT_TYPE}; using "${type.name}", the last iPhone it lists.`);
  }
  const device = (list.devices?.[runtime.identifier] ?? []).find(
    (entry) => entry.deviceTypeIdentifier === type.identifier && entry.isAvailable === true,
  );
  return { ok: true, value: { runtime, type, device, notes } };
}

/** @returns {never} */
function fail(cause, hint) {
  console.log(`::error::[pick-ios-simulator] Failed to pick the iOS simulator: ${cause}. ${hint}`);
  process.exit(1);
}

function xcrun(args) {
  const result = spawnSync('xcrun', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    fail(
      `xcrun ${args.join(' ')} ${result.error ? `could not run (${result.error.message})` : `exited with ${result.status}: ${result.stderr.trim()}`}`,
      'Run it on the runner to see why; the job pins Xcode with xcode-select first.',
    );
  }
  return result.stdout.trim();
}

function main() {
  const sdkVersion = xcrun(['--sdk', 'iphonesimulator', '--show-sdk-version']);
  // One call: simctl list takes one kind at most (a second word is a search term); without one it lists them all.
  const raw = xcrun(['simctl', 'list', '--json']);
  let list;
  try {
    list = JSON.parse(raw);
  } catch (error) {
    fail(`xcrun simctl list --json printed no JSON (${error.message})`, 'Run it on the runner to see what it prints.');
  }
  const picked = pickSimulator(list, {
    sdkVersion,
    os: process.env.TRACEHOP_IOS_OS || undefined,
    type: process.env.TRACEHOP_IOS_SIMULATOR || undefined,
  });
  if (!picked.ok) fail(picked.cause, picked.hint);
  const { runtime, type, device, notes } = picked.value;
  for (const note of notes) console.log(note);
  if (device === undefined) {
    const udid = xcrun(['simctl', 'create', type.name, type.identifier, runtime.identifier]);
    console.log(`Created simulator "${type.name}" (${udid}) on "${runtime.name}": the runner had none.`);
  } else {
    console.log(`Found simulator "${device.name}" (${device.udid}) of type "${type.name}" on "${runtime.name}".`);
  }
  const lines = `TRACEHOP_IOS_SIMULATOR=${type.name}\nTRACEHOP_IOS_OS=${runtime.name}\n`;
  process.stdout.write(lines);
  if (process.env.GITHUB_ENV) fs.appendFileSync(process.env.GITHUB_ENV, lines);
}

if (require.main === module) main();

module.exports = { pickSimulator };
