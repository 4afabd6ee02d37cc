/** Asks for an API key when the session has none (or the API refused the one it had). */
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';

export function KeyForm(props: { refused?: string; onKey: (key: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <Card title={t('key.title')} style={{ maxWidth: 560, margin: '80px auto' }} data-testid="key-form">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('key.help')}</Typography.Paragraph>
        {props.refused && (
          <Alert type="error" showIcon title={t('key.refused', { message: props.refused })} />
        )}
        <Input.Password
          placeholder={t('key.placeholder')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={() => value.trim() && props.onKey(value.trim())}
        />
        <Button type="primary" disabled={!value.trim()} onClick={() => props.onKey(value.trim())}>
          {t('key.submit')}
        </Button>
      </Space>
    </Card>
  );
}
