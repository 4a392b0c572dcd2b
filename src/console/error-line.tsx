/** A refused form's or filter's reason, announced to screen readers; nothing when there is none. */
export function ErrorLine({ message }: { message?: string | null | undefined }) {
  return message ? (
    <p class="error" role="alert" safe>
      {message}
    </p>
  ) : (
    ''
  );
}
