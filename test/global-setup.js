'use strict';
/**
 * Jest global setup for `npm test`: the web driver, the sample app and the HTML report are tested in headless
 * Chromium, so find it (as root on Debian, install Debian's chromium) before any suite starts, and stop with
 * what to install instead of failing dozens of tests one by one.
 */
const { ensureBrowser } = require('../scripts/ensure-browser');

module.exports = async function globalSetup() {
  const found = ensureBrowser();
  if (!found.ok) throw new Error(found.message);
};
