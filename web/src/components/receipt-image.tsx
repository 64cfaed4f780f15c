import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { RECEIPT_IMAGE, type ReceiptImageData } from '../api/operations.ts';
import { describeError } from '../lib/errors.ts';

/** Formats browsers show in an <img>; HEIC (iPhone photos) mostly not, so it opens as a download. */
const SHOWABLE = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * A receipt's image, fetched when shown: `imageUrl` is a presigned GET valid for 15 minutes,
 * asked for only now, so a list of expenses does not presign every receipt.
 */
export function ReceiptImage(props: { receiptId: string; alt: string }) {
  const [image, setImage] = useState<{ url: string; contentType: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setImage(null);
    setError(null);
    gql<ReceiptImageData>(RECEIPT_IMAGE, { id: props.receiptId })
      .then(({ receipt }) => {
        if (!current) return;
        if (receipt?.imageUrl) setImage({ url: receipt.imageUrl, contentType: receipt.contentType });
        else setError('This receipt has no image any more.');
      })
      .catch((caught) => current && setError(describeError(caught, 'this receipt')));
    return () => {
      current = false;
    };
  }, [props.receiptId]);

  if (error) return <p class="notice danger">{error}</p>;
  if (!image) return <p class="loading">Loading the image…</p>;
  if (SHOWABLE.includes(image.contentType))
    return (
      <a href={image.url} target="_blank" rel="noopener" class="receipt-image">
        <img src={image.url} alt={props.alt} />
      </a>
    );
  if (image.contentType === 'application/pdf')
    return <iframe class="receipt-image" src={image.url} title={props.alt} />;
  return (
    <p>
      This browser cannot show {image.contentType} images.{' '}
      <a href={image.url} target="_blank" rel="noopener">
        Open the file
      </a>
    </p>
  );
}
