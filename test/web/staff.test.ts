import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAs } from './api.js';
import { expectAccessible, launchBrowser, openContext, signIn } from './browser.js';

/**
 * Staff accounts (issue 22): the coordinator adds a therapist in the console; the new colleague signs in through the
 * local OpenID provider and sees only their own, empty schedule; deactivation locks them out of the sign-in.
 */
const { webUrl, apiUrl } = inject('web');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('Personal: a new colleague who can sign in', () => {
  it('is added by the coordinator, signs in to an empty day of their own, and is locked out when deactivated', async () => {
    const coordinator = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 900 } });
    const page = await coordinator.context.newPage();
    await signIn(page, webUrl, 'sara', '/personal');
    await page.getByRole('button', { name: 'Ny personal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ny personal' });
    await dialog.getByLabel('Kortnamn (id)').fill('maria');
    await dialog.getByLabel('Namn', { exact: true }).fill('Maria (familjeterapeut)');
    await dialog.getByLabel('E-post (inloggning)').fill('maria@ikb.example');
    // A mobile number that is not E.164: the API's message stands beside the field, nothing is created.
    await dialog.getByLabel('Mobil (för sms)').fill('0701234567');
    await dialog.getByRole('button', { name: 'Lägg till' }).click();
    await dialog.locator('.field.has-error').filter({ hasText: 'Mobil' }).waitFor();
    expect((await apiAs('sara', 'GET', '/staff/maria')).status).toBe(404);
    await expectAccessible(page, 'the new staff dialog with a field error');
    await dialog.getByLabel('Mobil (för sms)').fill('+46701234567');
    await dialog.getByRole('button', { name: 'Lägg till' }).click();
    await dialog.getByText(/maria är tillagd/).waitFor();
    expect((await apiAs<{ role: string; active: boolean }>('sara', 'GET', '/staff/maria')).body).toMatchObject({
      role: 'family_therapist',
      active: true,
    });
    await dialog.getByRole('button', { name: 'Klar' }).click();

    // Maria signs in on her own phone: only her own (empty) schedule, never the console.
    const phone = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mariaPage = await phone.context.newPage();
    await signIn(mariaPage, webUrl, 'maria');
    await mariaPage.getByRole('heading', { level: 1, name: 'Idag' }).waitFor();
    await mariaPage.getByText('Inget mer inbokat idag.').waitFor();
    expect(await mariaPage.getByRole('navigation', { name: 'Huvudmeny' }).count()).toBe(0);
    await phone.context.close();

    // The coordinator deactivates her: the sign-in refuses her at once.
    await page.getByRole('button', { name: 'maria', exact: true }).click();
    const person = page.getByRole('dialog', { name: 'Personal: maria' });
    await person.getByRole('button', { name: 'Avaktivera' }).click();
    await person.getByText(/maria är avaktiverad/).waitFor();
    expect((await apiAs<{ active: boolean }>('sara', 'GET', '/staff/maria')).body.active).toBe(false);
    const again = await openContext(browser, [webUrl, apiUrl]);
    const locked = await again.context.newPage();
    await locked.goto(`${webUrl}/`);
    expect(await locked.getByRole('button', { name: /^Logga in som maria\b/ }).count()).toBe(0);
    await locked.getByLabel('E-postadress').fill('maria@ikb.example');
    await locked.getByRole('button', { name: 'Logga in', exact: true }).click();
    await locked.getByRole('alert').getByText('Kontot är inaktiverat.').waitFor();
    expect(coordinator.watch.foreignRequests).toEqual([]);
    expect(coordinator.watch.errors).toEqual([]);
  });
});

describe('the administrator’s page', () => {
  it('lists the teams with their coordinators and invites a coordinator, who can then sign in to the console', async () => {
    const { context, watch } = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await signIn(page, webUrl, 'admin');
    const teams = page.getByRole('table', { name: 'Teamen' });
    const kalmar = teams.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /kalmar/ }) });
    await kalmar.getByText(/sara/).waitFor();
    await expectAccessible(page, 'the administrator’s page');
    await kalmar.getByRole('button', { name: /Bjud in samordnare/ }).click();
    const dialog = page.getByRole('dialog', { name: /Bjud in samordnare/ });
    await dialog.getByLabel('Kortnamn (id)').fill('karin');
    await dialog.getByLabel('Namn', { exact: true }).fill('Karin (samordnare)');
    await dialog.getByLabel('E-post (inloggning)').fill('karin@ikb.example');
    await dialog.getByRole('button', { name: 'Bjud in' }).click();
    await dialog.getByText(/karin är samordnare/).waitFor();
    expect((await apiAs<{ staff: { id: string; role: string }[] }>('admin', 'GET', '/staff?teamId=kalmar')).body.staff).toContainEqual(
      expect.objectContaining({ id: 'karin', role: 'coordinator' }),
    );
    await dialog.getByRole('button', { name: 'Klar' }).click();
    await kalmar.getByText(/karin/).waitFor();
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    const karin = await openContext(browser, [webUrl, apiUrl], { viewport: { width: 1400, height: 900 } });
    const karinPage = await karin.context.newPage();
    await signIn(karinPage, webUrl, 'karin');
    await karinPage.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Veckan' }).waitFor();
    await karin.context.close();
    await context.close();
  });
});
