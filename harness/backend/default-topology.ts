import type { Topology } from './topology';

/**
 * The topology `tracehop serve` starts without --topology. fixtures/topology.json holds the same data for
 * teams to copy; a test keeps the two equal.
 */
export const DEFAULT_TOPOLOGY: Topology = {
  services: [
    {
      name: 'api-gateway',
      firstParty: true,
      routes: [
        { method: 'POST', path: '/checkout', calls: [{ service: 'payment-api', method: 'POST', path: '/payments' }] },
        { method: 'POST', path: '/login', calls: [{ service: 'auth-service', method: 'POST', path: '/sessions' }] },
        { method: 'GET', path: '/search', calls: [{ service: 'catalog-service', method: 'GET', path: '/products' }] },
      ],
    },
    {
      name: 'payment-api',
      firstParty: true,
      routes: [
        {
          method: 'POST',
          path: '/payments',
          calls: [{ service: 'fraud-service', method: 'POST', path: '/fraud/score' }],
        },
      ],
    },
    { name: 'fraud-service', firstParty: true, routes: [{ method: 'POST', path: '/fraud/score', calls: [] }] },
    { name: 'auth-service', firstParty: true, routes: [{ method: 'POST', path: '/sessions', calls: [] }] },
    { name: 'catalog-service', firstParty: true, routes: [{ method: 'GET', path: '/products', calls: [] }] },
    { name: 'analytics', firstParty: false, routes: [{ method: 'POST', path: '/events', calls: [] }] },
  ],
};
