import { BareLayout, Layout, type PageFrame } from './layout.js';

/** A signed-in user opened a page their role may not see (403). */
export function ForbiddenPage({ frame }: { frame: PageFrame }) {
  return (
    <Layout title="Không có quyền truy cập" frame={frame}>
      <p>Vai trò của bạn không được xem trang này. Nếu cần, hãy liên hệ quản trị viên.</p>
      <p>
        <a href="/">Về trang tổng quan</a>
      </p>
    </Layout>
  );
}

/** Errors outside a signed-in page: an expired form, too many attempts, a failure. */
export function ErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <BareLayout title={title}>
      <p safe>{message}</p>
      <p>
        <a href="/">Về trang tổng quan</a>
      </p>
    </BareLayout>
  );
}
