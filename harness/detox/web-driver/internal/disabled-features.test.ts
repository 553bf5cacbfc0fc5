import { disableFeaturesSwitch, learnDisabledFeatures } from './disabled-features';

const PLAYWRIGHT_165 =
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion';
const POPUPS = 'WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup';

describe('the --disable-features switch of launched browsers', () => {
  it("repeats Playwright's own list, then turns off the omnibox popups' WebUI", () => {
    expect(disableFeaturesSwitch()).toBe(`${PLAYWRIGHT_165},${POPUPS}`);
  });

  it('learns what a newer Playwright disables from the launched arguments, and says to launch again', () => {
    const launched = ['--headless', `${PLAYWRIGHT_165},NewThing`, '--no-sandbox', disableFeaturesSwitch()];
    expect([learnDisabledFeatures(launched), disableFeaturesSwitch()]).toEqual([
      true,
      `${PLAYWRIGHT_165},NewThing,${POPUPS}`,
    ]);
    // Once known, the next launch has nothing new to learn; our own switch (the last) teaches nothing.
    expect(learnDisabledFeatures([`${PLAYWRIGHT_165},NewThing`, '--disable-features=Ours'])).toBe(false);
    expect(learnDisabledFeatures(['--headless'])).toBe(false);
  });
});
