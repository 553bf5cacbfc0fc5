import { DEMO_CATALOG, readOrderId, readProducts } from '../../fixtures/sample-app/src/api/catalog';
import { addToCart, cartTotalCents, formatPrice } from '../../fixtures/sample-app/src/cart/cart';

describe('readProducts', () => {
  test.each([
    ['a top-level array', [{ id: 'a', name: 'A', price: 1.5 }]],
    ['products', { products: [{ id: 'a', name: 'A', price: 1.5 }] }],
    ['items with numeric ids and title', { items: [{ id: 7, title: 'A', priceCents: 150 }] }],
    ['results', { results: [{ id: 'a', name: 'A', price: 1.5 }] }],
  ])('reads %s', (_shape, body) => {
    const [product] = readProducts(body) ?? [];
    expect(product?.name).toBe('A');
    expect(product?.priceCents).toBe(150);
  });

  test('drops entries without a usable id, name or price', () => {
    expect(
      readProducts([
        { id: 'ok', name: 'Ok', price: 2 },
        { id: 'has space', name: 'Bad id', price: 2 },
        { id: 'x', price: 2 },
        { id: 'y', name: 'No price' },
        'not an object',
      ]),
    ).toEqual([{ id: 'ok', name: 'Ok', priceCents: 200 }]);
  });

  test.each([[undefined], ['text'], [{}], [{ products: [] }], [{ products: 'none' }]])(
    'finds no products in %j',
    (body) => {
      expect(readProducts(body)).toBeUndefined();
    },
  );
});

describe('readOrderId', () => {
  test.each([
    [{ orderId: 'o-1' }, 'o-1'],
    [{ id: 42 }, '42'],
    [{ order: { id: 'o-2' } }, 'o-2'],
    [{ orderId: '' }, undefined],
    [['o-3'], undefined],
  ])('reads %j as %s', (body, id) => {
    expect(readOrderId(body)).toBe(id);
  });
});

describe('cart', () => {
  const [beans, grinder] = DEMO_CATALOG;

  test('adds quantities per product in first-added order and totals them in cents', () => {
    const cart = addToCart(addToCart(addToCart([], beans!), grinder!), beans!);
    expect(cart.map((line) => [line.product.id, line.quantity])).toEqual([
      ['p1', 2],
      ['p2', 1],
    ]);
    expect(cartTotalCents(cart)).toBe(2 * 1250 + 8900);
    expect(formatPrice(cartTotalCents(cart))).toBe('$114.00');
  });
});
