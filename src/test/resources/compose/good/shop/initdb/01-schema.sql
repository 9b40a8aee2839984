create table if not exists orders (id serial primary key);
