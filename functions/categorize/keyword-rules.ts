import type { Category } from '../../generated/graphql.ts';

/**
 * Keyword rules: words (or short phrases) that, found as whole words in a merchant name or a
 * line item, point to a category. General retail vocabulary in English and Malay (the SROIE
 * receipts are Malaysian), plus a few chains known the world over. Matching is on whole
 * words, so "mart" matches "SPEED MART" but not "SMART".
 */
export const CATEGORY_KEYWORDS: Readonly<Record<Exclude<Category, 'OTHER'>, readonly string[]>> = {
  GROCERIES: [
    'supermarket', 'hypermarket', 'minimarket', 'mini market', 'market', 'mart', 'grocer', 'grocery', 'groceries',
    'pasaraya', 'pasar', 'runcit', 'borong', 'aeon', 'tesco', 'giant', 'lotus', 'walmart', 'costco', 'aldi', 'lidl',
    'kroger', 'safeway', 'carrefour', 'whole foods', 'trader joe', 'sainsbury', 'bakery', 'bakeries', 'butcher',
    'milk', 'bread', 'eggs', 'rice', 'vegetable', 'fruit', 'produce', 'dairy', 'beras', 'roti', 'sayur',
  ],
  DINING: [
    'restaurant', 'restoran', 'cafe', 'café', 'coffee', 'kopitiam', 'bistro', 'bar', 'pub', 'grill', 'diner',
    'kitchen', 'eatery', 'food court', 'seafood', 'noodle', 'pizza', 'burger', 'sushi', 'ramen', 'kedai makan',
    'mcdonald', 'starbucks', 'kfc', 'subway', 'domino', 'f&b', 'nasi', 'mee', 'teh', 'kopi', 'latte', 'cappuccino',
    'espresso', 'tea', 'meal', 'dine in', 'take away', 'takeaway', 'toast',
  ],
  TRANSPORT: [
    'taxi', 'cab', 'uber', 'grab', 'lyft', 'parking', 'park', 'toll', 'metro', 'subway station', 'rail', 'mrt', 'lrt',
    'bus', 'transit', 'touch n go', 'parkir', 'letak kereta',
  ],
  FUEL: ['petrol', 'petronas', 'shell', 'esso', 'caltex', 'bp', 'chevron', 'exxon', 'gas station', 'diesel', 'fuel', 'unleaded', 'ron95', 'ron97', 'ev charging'],
  TRAVEL: ['airline', 'airlines', 'airways', 'airasia', 'flight', 'airport', 'travel', 'tours', 'booking', 'expedia', 'railway', 'amtrak'],
  LODGING: ['hotel', 'motel', 'inn', 'resort', 'hostel', 'lodge', 'airbnb', 'homestay', 'suites'],
  SHOPPING: ['fashion', 'boutique', 'apparel', 'clothing', 'shoes', 'department store', 'mall', 'uniqlo', 'zara', 'h&m', 'ikea', 'gift', 'gallery', 'textile', 'tekstil'],
  ELECTRONICS: ['electronics', 'electronic', 'computer', 'computers', 'laptop', 'phone', 'mobile', 'gadget', 'apple store', 'best buy', 'camera', 'elektrik'],
  HOUSEHOLD: [
    'hardware', 'furniture', 'furnishing', 'furnishings', 'diy', 'd.i.y', 'houseware', 'kitchenware',
    'machinery', 'tools', 'paint', 'plumbing', 'papan', 'perkakas', 'besi', 'batu', 'home depot', "lowe's", 'cleaning', 'detergent',
  ],
  UTILITIES: ['electricity', 'water bill', 'utility', 'utilities', 'telekom', 'telecom', 'internet', 'broadband', 'tnb', 'celcom', 'maxis', 'digi', 'unifi', 'verizon', 'at&t'],
  HEALTH: ['pharmacy', 'farmasi', 'clinic', 'klinik', 'hospital', 'medical', 'dental', 'dentist', 'doctor', 'optical', 'optometrist', 'guardian', 'watsons', 'cvs', 'walgreens', 'health', 'medicine', 'ubat', 'vitamin'],
  ENTERTAINMENT: ['cinema', 'cinemas', 'movie', 'theatre', 'theater', 'concert', 'tickets', 'karaoke', 'bowling', 'netflix', 'spotify', 'steam', 'games', 'gsc', 'tgv'],
  EDUCATION: ['book', 'books', 'bookstore', 'bookshop', 'school', 'college', 'university', 'tuition', 'academy', 'course', 'kedai buku', 'education'],
  OFFICE: ['stationery', 'stationer', 'office', 'printing', 'print', 'photocopy', 'copier', 'paper', 'ink', 'toner', 'pen', 'alat tulis'],
  SERVICES: ['service', 'services', 'salon', 'barber', 'laundry', 'dry clean', 'repair', 'workshop', 'consulting', 'consultancy', 'courier', 'post office', 'insurance', 'legal', 'accounting', 'studio'],
};
