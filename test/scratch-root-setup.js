'use strict';
/** Jest `globalSetup`: see scratch-root.js. */
module.exports = require('./scratch-root').setup;
