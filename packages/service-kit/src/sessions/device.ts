import { UAParser } from 'ua-parser-js'

export interface DeviceInfo {
  browser?: string | undefined
  browserVersion?: string | undefined
  os?: string | undefined
  osVersion?: string | undefined
  /** ua-parser's device type; undefined for desktops, which UAs do not label. */
  type?: string | undefined
  vendor?: string | undefined
  model?: string | undefined
}

export function parseDevice(userAgent: string | undefined): DeviceInfo {
  if (!userAgent) return {}
  const { browser, os, device } = UAParser(userAgent)
  return {
    browser: browser.name,
    browserVersion: browser.major,
    os: os.name,
    osVersion: os.version,
    type: device.type,
    vendor: device.vendor,
    model: device.model,
  }
}

/**
 * What makes a device "the same" for new-device detection. Versions are left out on purpose:
 * a browser update is not a new device.
 */
export function deviceFingerprint(device: DeviceInfo): string {
  return [device.browser, device.os, device.type ?? 'desktop', device.vendor, device.model]
    .map((v) => v ?? '')
    .join('|')
}
