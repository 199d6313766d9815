import { getToken, setToken, whenUnauthenticated, type ApiError } from './api';
import { field, h, replace } from './dom';
import { apiPage } from './pages/api';
import { diffPage } from './pages/diff';
import { findingsPage } from './pages/findings';
import { methodPage } from './pages/method';
import { overviewPage } from './pages/overview';
import { principalPage } from './pages/principal';
import { currentRoute, type Page, type Route } from './router';
import { errorBox } from './ui';

/**
 * The whocan web console: a client of the public GraphQL API, served by
 * the whocan server itself. Pages are hash routes (router.ts); each renders
 * into <main> from GraphQL answers, with DOM APIs only (dom.ts).
 */
const PAGES: Record<Page, (root: HTMLElement, route: Route) => Promise<void>> = {
  overview: overviewPage,
  method: methodPage,
  api: apiPage,
  principal: principalPage,
  findings: findingsPage,
  diff: diffPage,
};
const NAV_PAGE: Record<Page, string> = {
  overview: 'overview',
  method: 'method',
  api: 'overview',
  principal: 'principal',
  findings: 'findings',
  diff: 'diff',
};

const main = document.getElementById('main') as HTMLElement;
const authBox = document.getElementById('auth') as HTMLElement;
const tokenStatus = document.getElementById('token-status') as HTMLElement;
let rendering = 0;

function showTokenForm(message: string, kind: 'info' | 'refused'): void {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'whocan_…' });
  const form = h(
    'form',
    {
      class: 'token-form',
      'aria-label': 'API token',
      on: {
        submit: (e) => {
          e.preventDefault();
          const token = input.value.trim();
          if (!token) return;
          setToken(token);
          authBox.hidden = true;
          replace(authBox);
          updateTokenStatus();
          void render();
        },
      },
    },
    h('p', { class: kind === 'refused' ? 'error-text' : '' }, message),
    field('API token', input, 'Kept in this browser tab for this session only (sessionStorage), and sent only to this server.'),
    h('button', { type: 'submit', class: 'primary' }, 'Use this token'),
  );
  replace(authBox, form);
  authBox.hidden = false;
  input.focus();
}

function updateTokenStatus(): void {
  const token = getToken();
  replace(
    tokenStatus,
    token
      ? h(
          'span',
          {},
          'Token set for this session ',
          h(
            'button',
            { type: 'button', class: 'link', on: { click: () => (setToken(null), updateTokenStatus(), void render()) } },
            'Forget it',
          ),
        )
      : h(
          'button',
          {
            type: 'button',
            class: 'link',
            on: {
              click: () =>
                showTokenForm('Enter an API token (the server asks for one unless it runs without tokens, on loopback).', 'info'),
            },
          },
          'Enter a token',
        ),
  );
}

whenUnauthenticated((error: ApiError) => {
  // A refused token is forgotten at once; the questions asked with it at the same time all say so.
  if (error.tokenSent) setToken(null);
  updateTokenStatus();
  showTokenForm(error.message, error.tokenSent ? 'refused' : 'info');
});

async function render(): Promise<void> {
  const id = ++rendering;
  const route = currentRoute();
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.main a')) {
    if (a.dataset['page'] === NAV_PAGE[route.page]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren();
  main.dataset['page'] = route.page;
  main.dataset['ready'] = 'false';
  try {
    await PAGES[route.page](main, route);
  } catch (error) {
    if (id === rendering) main.append(errorBox(error));
  }
  if (id !== rendering) return;
  main.dataset['ready'] = 'true';
  document.title = `${main.querySelector('h1')?.textContent ?? 'whocan'} · whocan`;
}

window.addEventListener('hashchange', () => {
  void render().then(() => (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: false }));
});

// Keyboard: "/" jumps to the page's search box; Escape leaves it.
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  const typing =
    target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
  if (event.key === '/' && !typing) {
    const search = document.querySelector<HTMLInputElement>('input[data-search]');
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  } else if (event.key === 'Escape' && typing) {
    target.blur();
  }
});

document.getElementById('skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  (main.querySelector('h1') as HTMLElement | null)?.focus();
});

updateTokenStatus();
void render();
