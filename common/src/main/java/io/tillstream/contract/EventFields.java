package io.tillstream.contract;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Mutable holder for one record's fields while {@link EventParser} reads it. */
final class EventFields {
  String eventId;
  String eventType;
  String eventTimeText;
  Timestamp eventTime;
  String orderId;
  String storeId;
  String channel;
  String currency;
  String customerId;
  String email;
  String phone;
  String paymentMethod;
  String card;
  String customerToken;
  String cardToken;
  String cardLast4;
  String givenCardLast4;
  Row[] items;
  final List<Row> issues = new ArrayList<>();

  void issue(String rule, String detail) {
    issues.add(RowFactory.create(rule, detail));
  }
}
