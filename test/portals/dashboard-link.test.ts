import { dashboardLink } from '../../src/portals/dashboard-link.js';

describe('dashboardLink', () => {
  const PUBLIC = 'https://stageguard.example.com';
  it.each([
    ['Bitrix24 with the app id from set-up: the app page inside the portal', 'bitrix24', { appId: '17' }, 'https://acme.bitrix24.ru/marketplace/app/17/'],
    ['a numeric id reads the same', 'bitrix24', { appId: 17 }, 'https://acme.bitrix24.ru/marketplace/app/17/'],
    ['Bitrix24 set up before the id was kept: our own page', 'bitrix24', {}, `${PUBLIC}/app/dashboard`],
    ['an id that is not a number is not put in a URL', 'bitrix24', { appId: '17/../../evil' }, `${PUBLIC}/app/dashboard`],
    ['amoCRM: our own page (the dashboard opens from the widget)', 'amocrm', { appId: '17' }, `${PUBLIC}/app/dashboard`],
  ])('%s', (_name, host, settings, want) => {
    expect(dashboardLink({ host: host as 'bitrix24' | 'amocrm', domain: 'acme.bitrix24.ru', settings }, PUBLIC)).toBe(want);
  });
});
