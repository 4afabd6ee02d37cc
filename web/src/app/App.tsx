/**
 * The shell: the key of the session, what the store is (range, currency) and who the key is, the
 * language, then the menu and the page of the URL. Every view is a URL under /app/ (the server
 * answers index.html for all of them); filters are in the query of that URL.
 */
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiGet } from '../api/client';
import { sessionKey, setSessionKey } from '../api/session';
import type { RangeBody } from '../api/types';
import { releaseFirstView } from '../first-view/handoff';
import { I18nProvider, langFrom, makeI18n, useI18n, type Lang } from '../i18n/i18n';
import { KeyForm } from './KeyForm';
import { PAGES } from './pages';
import { StoreContext, type StoreInfo } from './store';

function useLang(): [Lang, (lang: Lang) => void] {
  const [params, setParams] = useSearchParams();
  const lang = langFrom(params);
  const set = (next: Lang) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      if (next === 'en') p.delete('lang');
      else p.set('lang', next);
      return p;
    });
  return [lang, set];
}

export function App() {
  const [lang, setLang] = useLang();
  const [key, setKey] = useState(sessionKey());
  const [store, setStore] = useState<StoreInfo | null>(null);
  const [failure, setFailure] = useState<{ refused?: string; error?: string }>({});
  useEffect(() => {
    document.documentElement.lang = lang;
    dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  }, [lang]);
  useEffect(() => {
    if (!key) return;
    let live = true;
    setStore(null);
    Promise.all([
      apiGet<{ role: StoreInfo['role'] }>('/v1/me'),
      apiGet<RangeBody>('/v1/analytics/range'),
    ]).then(
      ([me, range]) => {
        if (!live) return;
        setFailure({});
        setStore({
          firstOrderAt: range.first_order_at,
          lastOrderAt: range.last_order_at,
          orders: range.orders,
          currency: range.currency ?? 'USD',
          role: me.role,
        });
      },
      (err: Error) => {
        if (!live) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          setSessionKey(null);
          setKey(null);
          setFailure({ refused: err.message });
        } else setFailure({ error: err.message });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  // The first view (drawn before the app loaded) stays only while the app is drawing the Overview.
  useEffect(() => {
    if (!key || failure.error) releaseFirstView();
  }, [key, failure.error]);

  const antLocale = lang === 'zh-CN' ? zhCNLocale : enUS;
  const i18n = makeI18n(lang, store?.currency ?? 'USD');
  let body;
  if (!key) {
    body = (
      <KeyForm
        refused={failure.refused}
        onKey={(k) => {
          setSessionKey(k);
          setKey(k);
        }}
      />
    );
  } else if (failure.error) {
    body = <Result status="error" title={i18n.t('state.error')} subTitle={failure.error} />;
  } else if (!store) {
    body = <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />;
  } else {
    body = (
      <StoreContext.Provider value={store}>
        <Shell
          lang={lang}
          onLang={setLang}
          onForget={() => {
            setSessionKey(null);
            setKey(null);
          }}
        />
      </StoreContext.Provider>
    );
  }
  return (
    <ConfigProvider locale={antLocale} theme={{ token: { colorPrimary: '#2f54eb' } }}>
      <AntApp>
        <I18nProvider lang={lang} currency={store?.currency ?? 'USD'}>
          {body}
        </I18nProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function Shell(props: { lang: Lang; onLang: (l: Lang) => void; onForget: () => void }) {
  const navigate = useNavigate();
  const location = useLocation();
  const i18n = useI18n();
  const section = location.pathname.split('/')[2] ?? 'overview';
  const keepLang = props.lang === 'en' ? '' : `?lang=${props.lang}`;
  useEffect(() => {
    if (section !== 'overview') releaseFirstView();
  }, [section]);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <Typography.Title level={4} style={{ padding: '16px 24px', margin: 0 }}>
          {i18n.t('app.title')}
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[section]}
          data-testid="nav"
          items={PAGES.filter((p) => p.menu).map((p) => ({
            key: p.path,
            label: i18n.t(p.menu!),
            'data-testid': `nav-${p.path}`,
          }))}
          onClick={(e) => navigate(`/app/${e.key}${keepLang}`)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: 'transparent', display: 'flex', justifyContent: 'flex-end' }}>
          <Space>
            <Button
              data-testid="lang-switch"
              onClick={() => props.onLang(props.lang === 'en' ? 'zh-CN' : 'en')}
            >
              {i18n.t('lang.switch')}
            </Button>
            <Button type="text" onClick={props.onForget}>
              {i18n.t('key.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: '0 24px 24px' }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
            <Routes>
              <Route path="/" element={<Navigate to={`/app/overview${location.search}`} replace />} />
              {PAGES.map((p) => (
                <Route key={p.path} path={`/app/${p.path}`} element={<p.component />} />
              ))}
              <Route path="*" element={<Navigate to={`/app/overview${location.search}`} replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
