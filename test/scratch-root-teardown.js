'use strict';
/** Jest `globalTeardown`: see scratch-root.js. */
module.exports = require('./scratch-root').teardown;
